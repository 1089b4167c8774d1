import { describe, expect, it } from 'vitest'
import { roleAtLeast } from '#shared/roles'

describe('org roles', () => {
  it('orders viewer below editor below admin', () => {
    expect(roleAtLeast('admin', 'editor')).toBe(true)
    expect(roleAtLeast('editor', 'editor')).toBe(true)
    expect(roleAtLeast('editor', 'admin')).toBe(false)
    expect(roleAtLeast('viewer', 'editor')).toBe(false)
  })
})
