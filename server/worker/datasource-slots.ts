// The per-datasource concurrency cap, across every worker process: a datasource with
// maxConcurrentRuns = N has N slots, each a session-level advisory lock on Tessera's
// database. A run holds one on a pooled connection for as long as it executes; if the
// worker dies, Postgres ends the session and the slot frees itself.
import type pg from 'pg'
import { usePool } from '../utils/db'
import { logger } from '../utils/logger'

export interface DatasourceSlot {
  release(): Promise<void>
}

/** Takes a free slot of this datasource, or returns undefined when all N are in use. */
export async function tryAcquireDatasourceSlot(datasourceId: string, maxConcurrentRuns: number): Promise<DatasourceSlot | undefined> {
  const client: pg.PoolClient = await usePool().connect()
  try {
    for (let slot = 0; slot < maxConcurrentRuns; slot++) {
      const { rows } = await client.query<{ taken: boolean }>(
        `SELECT pg_try_advisory_lock(hashtext('tessera-datasource-slot:' || $1), $2) AS taken`,
        [datasourceId, slot],
      )
      if (rows[0]!.taken) return slotHeldBy(client, datasourceId, slot)
    }
  }
  catch (error) {
    client.release(error as Error)
    throw error
  }
  client.release()
  return undefined
}

function slotHeldBy(client: pg.PoolClient, datasourceId: string, slot: number): DatasourceSlot {
  let released = false
  // A held connection is outside the pool's idle error handling: without a listener, the
  // metadata server ending the session (restart, outage) would crash the worker. The lock
  // ends with the session; release() then fails and discards the connection.
  const onLost = (error: Error) => logger.warn('datasource slot connection lost', { datasourceId, slot, error: error.message })
  client.on('error', onLost)
  return {
    async release() {
      if (released) return
      released = true
      try {
        await client.query(`SELECT pg_advisory_unlock(hashtext('tessera-datasource-slot:' || $1), $2)`, [datasourceId, slot])
        client.off('error', onLost)
        client.release()
      }
      catch (error) {
        // a connection we cannot unlock on must not go back to the pool still holding the lock
        client.off('error', onLost)
        client.release(error as Error)
      }
    },
  }
}
