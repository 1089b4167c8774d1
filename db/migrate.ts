// Brings a database's schema up to date with the committed drizzle-kit migrations.
// Web and worker processes both call this at start-up; a Postgres advisory lock
// makes the second one wait for the first instead of racing it.
import pg from 'pg'
import { drizzle } from 'drizzle-orm/node-postgres'
import { migrate } from 'drizzle-orm/node-postgres/migrator'

// Arbitrary constant shared by every Tessera process: "tessera" in ASCII.
const MIGRATION_LOCK_KEY = 0x74657373

export async function migrateDatabase(databaseUrl: string, migrationsFolder: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'tessera-migrate' })
  await client.connect()
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY])
    try {
      await migrate(drizzle(client), { migrationsFolder })
    }
    finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY])
    }
  }
  finally {
    await client.end()
  }
}
