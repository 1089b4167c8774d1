// The reads every request makes are named prepared statements, so Postgres plans them once
// per connection (server/utils/db.ts).
import { describe, expect, it } from 'vitest'
import { preparedStatementNames, readMissingRunThrice, useOnePooledConnection } from '../support/prepared-reads'

const orgId = useOnePooledConnection()

describe('prepared reads', () => {
  it('keeps one named statement per read on the connection, prepared once however often it runs', async () => {
    await readMissingRunThrice(orgId())
    expect(await preparedStatementNames()).toEqual(['find_run_in_org'])
  })
})
