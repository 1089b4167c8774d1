// TESSERA_DB_PREPARED_STATEMENTS=false, for a pooler that cannot keep prepared statements:
// the same reads leave nothing prepared on the connection (server/utils/db.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findInOrg } from '../../server/utils/org-objects'
import { closeDb, usePool } from '../../server/utils/db'
import { buildOrg } from '../support/builders'
import { useTestDatabase } from '../support/database'

let orgId: string

beforeAll(async () => {
  process.env.TESSERA_DB_POOL_SIZE = '1'
  process.env.TESSERA_DB_PREPARED_STATEMENTS = 'false'
  await useTestDatabase()
  orgId = (await buildOrg()).id
})

// nothing of this file's settings may reach another file run in the same process
afterAll(async () => {
  await closeDb()
  delete process.env.TESSERA_DB_POOL_SIZE
  delete process.env.TESSERA_DB_PREPARED_STATEMENTS
})

describe('prepared reads switched off', () => {
  it('runs every read as an unnamed statement', async () => {
    const missing = '00000000-0000-4000-8000-000000000000'
    for (let call = 0; call < 3; call++) await expect(findInOrg('run', orgId, missing)).rejects.toMatchObject({ statusCode: 404 })
    const { rows } = await usePool().query<{ name: string }>('SELECT name FROM pg_prepared_statements')
    expect(rows).toEqual([])
  })
})
