// The set-up both prepared-read test files share: one pooled metadata connection (so the
// statements it holds are the ones the file's reads prepared) under the settings given,
// which are taken back afterwards so nothing of them reaches another file run in the same
// process; and the read they both make, with what it left prepared.
import { afterAll, beforeAll, expect } from 'vitest'
import { findInOrg } from '../../server/utils/org-objects'
import { closeDb, usePool } from '../../server/utils/db'
import { buildOrg } from './builders'
import { useTestDatabase } from './database'

/** Registers the file's set-up; the returned function gives the org built for it. */
export function useOnePooledConnection(settings: Record<string, string> = {}): () => string {
  const env = { TESSERA_DB_POOL_SIZE: '1', ...settings }
  let orgId = ''
  beforeAll(async () => {
    Object.assign(process.env, env)
    await useTestDatabase()
    orgId = (await buildOrg()).id
  })
  afterAll(async () => {
    await closeDb()
    for (const name of Object.keys(env)) Reflect.deleteProperty(process.env, name)
  })
  return () => orgId
}

/** Reads one missing run of the org three times (a prepared read: find_run_in_org), each a 404. */
export async function readMissingRunThrice(orgId: string): Promise<void> {
  const missing = '00000000-0000-4000-8000-000000000000'
  for (let call = 0; call < 3; call++) await expect(findInOrg('run', orgId, missing)).rejects.toMatchObject({ statusCode: 404 })
}

/** The names of the statements prepared on the pool's one connection. */
export async function preparedStatementNames(): Promise<string[]> {
  const { rows } = await usePool().query<{ name: string }>('SELECT name FROM pg_prepared_statements ORDER BY name')
  return rows.map(row => row.name)
}
