// The reads every request makes are named prepared statements, so Postgres plans them once
// per connection (server/utils/db.ts). One pooled connection here, so the statements it
// holds are the ones this file's reads prepared.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findInOrg } from '../../server/utils/org-objects'
import { closeDb, usePool } from '../../server/utils/db'
import { buildOrg } from '../support/builders'
import { useTestDatabase } from '../support/database'

let orgId: string

beforeAll(async () => {
  process.env.TESSERA_DB_POOL_SIZE = '1'
  await useTestDatabase()
  orgId = (await buildOrg()).id
})

// nothing of this file's settings may reach another file run in the same process
afterAll(async () => {
  await closeDb()
  delete process.env.TESSERA_DB_POOL_SIZE
})

async function preparedNames(): Promise<string[]> {
  const { rows } = await usePool().query<{ name: string }>('SELECT name FROM pg_prepared_statements ORDER BY name')
  return rows.map(row => row.name)
}

describe('prepared reads', () => {
  it('keeps one named statement per read on the connection, prepared once however often it runs', async () => {
    const missing = '00000000-0000-4000-8000-000000000000'
    for (let call = 0; call < 3; call++) await expect(findInOrg('run', orgId, missing)).rejects.toMatchObject({ statusCode: 404 })
    expect(await preparedNames()).toEqual(['find_run_in_org'])
  })
})
