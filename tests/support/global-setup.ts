// Integration tests run against a real Postgres: the one in DATABASE_URL, or an
// embedded one started here in a throwaway folder. A migrated template database is
// made once; each test file clones it (CREATE DATABASE … TEMPLATE), which is fast.
// The built server (.output) is rebuilt if sources changed, for tests that spawn it.
// Test datasources connect as a read-only role made here (Tessera refuses superusers).
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import pg from 'pg'
import { migrateDatabase } from '../../db/migrate'
import { buildIfNeeded } from '../../scripts/build-if-needed.mjs'
import { startEmbeddedPostgres } from '../../scripts/embedded-postgres.mjs'
import { freePort } from '../../scripts/free-port.mjs'

export const TEMPLATE_DATABASE = 'tessera_test_template'
export const TEST_READER_ROLE = 'tessera_test_reader'

export default async function setup(project: TestProject) {
  let stopPostgres = async () => {}
  let serverUrl = process.env.DATABASE_URL
  if (!serverUrl) {
    const dataDir = await mkdtemp(join(tmpdir(), 'tessera-test-pg-'))
    const postgres = await startEmbeddedPostgres({ dataDir, port: await freePort() })
    serverUrl = postgres.urlFor('postgres')
    stopPostgres = async () => {
      await postgres.stop()
      await rm(dataDir, { recursive: true, force: true })
    }
  }
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`)
  await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`)
  // what the README asks of a datasource role: LOGIN and read access, nothing more
  const readerPassword = randomBytes(18).toString('base64url')
  const { rowCount } = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [TEST_READER_ROLE])
  await admin.query(`${rowCount ? 'ALTER' : 'CREATE'} ROLE ${TEST_READER_ROLE} LOGIN NOSUPERUSER PASSWORD ${admin.escapeLiteral(readerPassword)}`)
  await admin.query(`GRANT pg_read_all_data TO ${TEST_READER_ROLE}`)
  await admin.end()
  const templateUrl = new URL(serverUrl)
  templateUrl.pathname = `/${TEMPLATE_DATABASE}`
  await migrateDatabase(templateUrl.toString(), 'db/migrations')
  buildIfNeeded()
  project.provide('postgresServerUrl', serverUrl)
  project.provide('readerCredentials', { user: TEST_READER_ROLE, password: readerPassword })
  return stopPostgres
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgresServerUrl: string
    readerCredentials: { user: string, password: string }
  }
}
