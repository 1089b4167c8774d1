// Integration tests run against a real Postgres: the one in DATABASE_URL, or an
// embedded one started here in a throwaway folder. A migrated template database is
// made once; each test file clones it (CREATE DATABASE … TEMPLATE), which is fast.
// The built server (.output) is rebuilt if sources changed, for tests that spawn it.
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
  await admin.end()
  const templateUrl = new URL(serverUrl)
  templateUrl.pathname = `/${TEMPLATE_DATABASE}`
  await migrateDatabase(templateUrl.toString(), 'db/migrations')
  buildIfNeeded()
  project.provide('postgresServerUrl', serverUrl)
  return stopPostgres
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgresServerUrl: string
  }
}
