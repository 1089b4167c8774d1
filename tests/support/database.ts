// Gives a test file its own freshly migrated database, cloned from the template the
// global setup made, and points this process's Tessera modules at it.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, inject } from 'vitest'
import { closeDb } from '../../server/utils/db'
import { createDatabase } from '../../scripts/create-database.mjs'

export const TEST_SECRET_KEY = '0123456789abcdef'.repeat(4)

export async function createTestDatabase(): Promise<string> {
  const serverUrl = inject('postgresServerUrl')
  const name = `tessera_test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name} TEMPLATE tessera_test_template`)
  await admin.end()
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return url.toString()
}

/** A database with nothing in it (not even migrations), for start-up tests. */
export async function createEmptyDatabase(): Promise<string> {
  return createDatabase(inject('postgresServerUrl'), `tessera_empty_${randomBytes(6).toString('hex')}`)
}

/** Creates a database for this file and sets DATABASE_URL so useDb() uses it. */
export async function useTestDatabase(): Promise<string> {
  const url = await createTestDatabase()
  process.env.DATABASE_URL = url
  process.env.TESSERA_SECRET_KEY ??= TEST_SECRET_KEY
  afterAll(closeDb)
  return url
}

/** Runs one statement on its own connection (outside Tessera's pool), e.g. to set up source tables. */
export async function queryDatabase(databaseUrl: string, text: string) {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    return await client.query(text)
  }
  finally {
    await client.end()
  }
}

/** The same database reached as the read-only test role: what test datasources connect with. */
export function readerUrlFor(databaseUrl: string): string {
  const { user, password } = inject('readerCredentials')
  const url = new URL(databaseUrl)
  url.username = user
  url.password = password
  return url.toString()
}
