import { describe, expect, it } from 'vitest'
import { can, roleAtLeast } from '#shared/roles'

describe('org roles', () => {
  it('orders viewer below editor below admin', () => {
    expect(roleAtLeast('admin', 'editor')).toBe(true)
    expect(roleAtLeast('editor', 'editor')).toBe(true)
    expect(roleAtLeast('editor', 'admin')).toBe(false)
    expect(roleAtLeast('viewer', 'editor')).toBe(false)
  })

  it('lets only admins manage datasources and users, editors write queries, viewers neither', () => {
    expect(can('editor', 'datasource:manage')).toBe(false)
    expect(can('admin', 'datasource:manage')).toBe(true)
    expect(can('editor', 'query:write')).toBe(true)
    expect(can('viewer', 'query:write')).toBe(false)
    expect(can('viewer', 'dashboard:write')).toBe(false)
    expect(can('editor', 'user:manage')).toBe(false)
  })
})
