// The metadata pool of every process: a connection the server ends while the process
// holds it (a transaction between statements, a schedule's firing, a datasource slot)
// must fail only the work on it, never crash the process. Node throws an 'error' event
// nobody listens to; the pool listens only while a connection is idle.
import { beforeAll, describe, expect, it } from 'vitest'
import { usePool } from '../../server/utils/db'
import { useTestDatabase } from '../support/database'

beforeAll(async () => {
  await useTestDatabase()
})

describe('the metadata pool', () => {
  it('survives the server ending a connection that is checked out and idle in a transaction', async () => {
    const held = await usePool().connect()
    const { pid } = (await held.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!
    await held.query('BEGIN')
    // as a server shutting down does ("terminating connection due to administrator command")
    const { ended } = (await usePool().query<{ ended: boolean }>('SELECT pg_terminate_backend($1) AS ended', [pid])).rows[0]!
    expect(ended).toBe(true)
    await new Promise(resolve => setTimeout(resolve, 300))
    // the work on the ended connection fails; it is discarded, not handed out again
    await expect(held.query('SELECT 1')).rejects.toThrow()
    held.release(true)
    const { alive } = (await usePool().query<{ alive: number }>('SELECT 1 AS alive')).rows[0]!
    expect(alive).toBe(1)
  })
})
