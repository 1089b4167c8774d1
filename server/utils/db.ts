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
    // nor one dropped while checked out: the pool listens only while a connection is idle,
    // and Node throws an 'error' event nobody listens to. The work on that connection
    // fails on its own (its query rejects, its holder releases it as broken).
    pool.on('connect', client => client.on('error', () => {}))
  }
  return pool
}

export function useDb(): Database {
  database ??= drizzle(usePool(), { schema })
  return database
}

// every prepared name in use: Postgres keeps one statement per name and connection, so
// two reads sharing a name would fail on the second
const preparedNames = new Set<string>()

/**
 * A read that every request makes (its session, the object it names, the rows it pages),
 * prepared once per pooled connection under `name`: Postgres then plans it once instead of
 * on every call (planning the four-table session join took longer than running it), and
 * drizzle builds its SQL once. Only for fixed statements: the set of names never grows at run time.
 * TESSERA_DB_PREPARED_STATEMENTS=false keeps the SQL built once but leaves every call unnamed.
 */
export function preparedRead<Prepared>(name: string, prepare: (db: Database, name: string) => Prepared): () => Prepared {
  if (preparedNames.has(name)) throw new Error(`prepared read ${name} is defined twice`)
  preparedNames.add(name)
  // per database object: closeDb starts a new pool, whose connections know no statements yet
  const byDatabase = new WeakMap<Database, Prepared>()
  return () => {
    const db = useDb()
    let prepared = byDatabase.get(db)
    // an empty name is Postgres's unnamed statement: parsed and planned on every call
    if (!prepared) byDatabase.set(db, prepared = prepare(db, useConfig().TESSERA_DB_PREPARED_STATEMENTS ? name : ''))
    return prepared
  }
}

export async function closeDb(): Promise<void> {
  const closing = pool
  pool = undefined
  database = undefined
  await closing?.end()
}
