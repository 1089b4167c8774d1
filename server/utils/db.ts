// One connection pool per process for Tessera's own metadata database.
// User SQL never goes through this pool: it runs on the worker, through a connector.
import pg from 'pg'
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres'
import * as schema from '../../db/schema'
import { useConfig } from '../config'
import { logger } from './logger'

export type Database = NodePgDatabase<typeof schema>

let pool: pg.Pool | undefined
let database: Database | undefined

export function usePool(): pg.Pool {
  if (!pool) {
    pool = new pg.Pool({ connectionString: useConfig().DATABASE_URL, max: 10, application_name: `tessera-${useConfig().APP_ROLE}` })
    // an idle connection dropped by the server (restart, shutdown) must not crash the process
    pool.on('error', error => logger.warn('metadata pool connection lost', { error: error.message }))
  }
  return pool
}

export function useDb(): Database {
  database ??= drizzle(usePool(), { schema })
  return database
}

export async function closeDb(): Promise<void> {
  const closing = pool
  pool = undefined
  database = undefined
  await closing?.end()
}
