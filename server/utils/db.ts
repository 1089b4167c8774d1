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
    const { DATABASE_URL, APP_ROLE, TESSERA_DB_POOL_SIZE } = useConfig()
    const max = TESSERA_DB_POOL_SIZE ?? (APP_ROLE === 'worker' ? 20 : 10)
    pool = new pg.Pool({ connectionString: DATABASE_URL, max, application_name: `tessera-${APP_ROLE}` })
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
