// TESSERA_DB_PREPARED_STATEMENTS=false, for a pooler that cannot keep prepared statements:
// the same reads leave nothing prepared on the connection (server/utils/db.ts).
import { describe, expect, it } from 'vitest'
import { preparedStatementNames, readMissingRunThrice, useOnePooledConnection } from '../support/prepared-reads'

const orgId = useOnePooledConnection({ TESSERA_DB_PREPARED_STATEMENTS: 'false' })

describe('prepared reads switched off', () => {
  it('runs every read as an unnamed statement', async () => {
    await readMissingRunThrice(orgId())
    expect(await preparedStatementNames()).toEqual([])
  })
})
