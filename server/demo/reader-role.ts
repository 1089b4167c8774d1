// The demo datasource's own role. The demo database usually lives in the same Postgres
// server as Tessera's metadata, reached with a superuser URL; a datasource connecting
// that way would let any editor run programs on the host and rewrite Tessera's tables.
// So the demo datasource connects as `tessera_demo_reader`: LOGIN, CONNECT on the demo
// database only, SELECT on the demo schema only. Its password is derived from the secret
// key, so every process of an install agrees on it without storing it anywhere new.
import { createHmac } from 'node:crypto'
import pg from 'pg'
import { useConfig } from '../config'
import { logger } from '../utils/logger'

export const DEMO_READER_ROLE = 'tessera_demo_reader'
const DEMO_SCHEMA = 'ops'
const INSUFFICIENT_PRIVILEGE = '42501'

function demoReaderPassword(): string {
  const key = useConfig().TESSERA_SECRET_KEY
  if (!key) throw new Error('TESSERA_SECRET_KEY is not set: the demo reader role needs it for its password')
  return createHmac('sha256', Buffer.from(key, 'hex')).update('tessera-demo-reader').digest('base64url')
}

/** The demo database URL with the reader's credentials instead of the admin's. */
export function demoReaderUrl(demoDatabaseUrl: string): string {
  const url = new URL(demoDatabaseUrl)
  url.username = DEMO_READER_ROLE
  url.password = demoReaderPassword()
  return url.toString()
}

/**
 * Creates (or brings up to date) the reader role and its grants, using the demo URL's
 * own rights. Returns the URL the demo datasource connects with: the reader's, or the
 * given one when that role may not create roles (an operator's own choice of role).
 */
export async function ensureDemoReader(demoDatabaseUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: demoDatabaseUrl, application_name: 'tessera-demo-reader' })
  await client.connect()
  try {
    await client.query('BEGIN')
    // several web processes starting together: one creates the role, the others wait
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('${DEMO_READER_ROLE}'))`)
    const { rowCount } = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [DEMO_READER_ROLE])
    const attributes = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${client.escapeLiteral(demoReaderPassword())}`
    await client.query(`${rowCount ? 'ALTER' : 'CREATE'} ROLE ${DEMO_READER_ROLE} ${attributes}`)
    const { rows } = await client.query<{ database: string, has_schema: boolean }>(`SELECT current_database() AS database, to_regnamespace('${DEMO_SCHEMA}') IS NOT NULL AS has_schema`)
    await client.query(`GRANT CONNECT ON DATABASE ${client.escapeIdentifier(rows[0]!.database)} TO ${DEMO_READER_ROLE}`)
    if (rows[0]!.has_schema) {
      await client.query(`GRANT USAGE ON SCHEMA ${DEMO_SCHEMA} TO ${DEMO_READER_ROLE}`)
      await client.query(`GRANT SELECT ON ALL TABLES IN SCHEMA ${DEMO_SCHEMA} TO ${DEMO_READER_ROLE}`)
    }
    await client.query('COMMIT')
    return demoReaderUrl(demoDatabaseUrl)
  }
  catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    if ((error as { code?: string }).code !== INSUFFICIENT_PRIVILEGE) throw error
    logger.warn('the demo database role may not create roles: the demo datasource connects as that role', { error: String(error) })
    return demoDatabaseUrl
  }
  finally {
    await client.end()
  }
}
