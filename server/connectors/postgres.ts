// The Postgres connector. Each run gets its own pg.Client (never a pool: a run's session
// carries its application_name, its read-only transaction and its timeouts, and must be
// cancellable on its own). Values keep Postgres's own text output except for the few
// types JSON represents exactly (docs/ARCHITECTURE.md), so nothing is rounded or re-formatted.
// Rows come one of two ways, both as COPY text lines stored as they are (one storage
// format, one reader): a parameterless statement streams through COPY (postgres-copy.ts);
// a statement with bound parameters, or one COPY does not take, runs on the extended
// protocol and its DataRow messages are turned into the same lines without pg parsing a
// field (postgres-data-rows.ts). Both apply the per-value and per-row caps (value-caps.ts).
import { isIP } from 'node:net'
import pg from 'pg'
import type { PostgresDatasourceConfig, ResultColumn } from '../../db/schema'
import { QueryError, type RowBlock, type RowFormat, type ValueKind, type ConnectionSettings, type ConnectionTestResult, type Connector, type DatasourceSchema, type ExecuteRequest, type Execution, type SchemaTable } from './types'
import { checkedAddress } from './denied-targets'
import { copyRows, isCopyRefusal } from './postgres-copy'
import { DataRowReader } from './postgres-data-rows'
import { DEFAULT_VALUE_CAPS, type ValueCaps } from './value-caps'
import { describeStatement } from './postgres-describe'
import { checkRolePrivileges, privilegedRoleMessage, privilegeProblems, ROLE_PRIVILEGES_SQL, type RolePrivileges } from './postgres-privileges'
import { checkOneStatement } from './postgres-statement'
import { valueFromText } from './values'
import { typeNamesFor } from './postgres-type-names'
import { runApplicationName, terminateRunBackends } from './postgres-backends'
import { useConfig } from '../config'

// rows fetched per round trip: large enough that the network is not the bottleneck,
// small enough that a batch of wide rows stays a few megabytes
const BATCH_ROWS = 5_000
// a side connection (test, catalog, cancel, type names) whose server goes silent this long is dropped
const SIDE_READ_TIMEOUT_MS = 60_000

const OID_BOOL = 16
const OID_INT2 = 21
const OID_INT4 = 23
const OID_FLOAT4 = 700
const OID_FLOAT8 = 701

function valueKindOf(typeOid: number): ValueKind {
  if (typeOid === OID_INT2 || typeOid === OID_INT4) return 'integer'
  if (typeOid === OID_FLOAT4 || typeOid === OID_FLOAT8) return 'float'
  if (typeOid === OID_BOOL) return 'boolean'
  return 'text'
}

// Per-client type parsers (pg's global pg.types would also change Tessera's own pool).
// Everything that JSON cannot carry exactly stays the string Postgres sent.
const rawTypes = {
  getTypeParser(oid: number) {
    const kind = valueKindOf(oid)
    if (kind === 'text') return (text: string) => text
    return (text: string) => valueFromText(text, kind)
  },
} as unknown as pg.CustomTypesConfig

function sslFor(sslmode: PostgresDatasourceConfig['sslmode']): pg.ClientConfig['ssl'] {
  if (sslmode === 'disable') return false
  if (sslmode === 'verify-full') return { rejectUnauthorized: true }
  // 'require' (and 'prefer', first try) encrypt without verifying the certificate, as libpq does
  return { rejectUnauthorized: false }
}

function clientConfig(settings: ConnectionSettings, applicationName: string, ssl: pg.ClientConfig['ssl'], address: string): pg.ClientConfig {
  const config = settings.config as unknown as PostgresDatasourceConfig
  // the certificate is checked against the name the admin typed, not the checked address
  const namedSsl = ssl && typeof ssl === 'object' && !isIP(config.host) ? { ...ssl, servername: config.host } : ssl
  return {
    host: address,
    port: config.port,
    database: config.database,
    user: config.user,
    password: settings.password,
    ssl: namedSsl,
    application_name: applicationName,
    connectionTimeoutMillis: useConfig().TESSERA_DATASOURCE_CONNECT_TIMEOUT_MS,
    types: rawTypes,
  }
}

/** The socket under a pg.Client (typed as private in @types/pg). */
function socketOf(client: pg.Client): import('node:net').Socket {
  return (client as unknown as { connection: { stream: import('node:net').Socket } }).connection.stream
}

/**
 * Opens a client; sslmode 'prefer' falls back to plain text when the server has no SSL, like
 * libpq. The read timeout drops a connection whose server sent nothing for that long, so a
 * frozen backend fails the call instead of hanging it.
 */
async function connect(settings: ConnectionSettings, applicationName: string, readTimeoutMs = SIDE_READ_TIMEOUT_MS): Promise<pg.Client> {
  const config = settings.config as unknown as PostgresDatasourceConfig
  // denied hosts (Tessera's own metadata server) are refused before any packet is sent
  const address = await checkedAddress({ host: config.host, port: config.port, database: config.database })
  const attempt = async (ssl: pg.ClientConfig['ssl']) => {
    const client = new pg.Client(clientConfig(settings, applicationName, ssl, address))
    // a backend that dies mid-run must fail the run, not crash the worker
    client.on('error', () => {})
    await client.connect()
    const socket = socketOf(client)
    socket.setTimeout(readTimeoutMs, () => socket.destroy(new Error(`The datasource sent nothing for ${readTimeoutMs} ms; the connection was dropped`)))
    return client
  }
  if (config.sslmode !== 'prefer') return attempt(sslFor(config.sslmode))
  try {
    return await attempt(sslFor('prefer'))
  }
  catch (error) {
    if (/does not support SSL/i.test(String(error))) return attempt(false)
    throw error
  }
}

/** Postgres errors become QueryErrors (message, 1-based position in the user's SQL, SQLSTATE). */
export function toQueryError(error: unknown): Error {
  if (error instanceof QueryError) return error
  if (error instanceof pg.DatabaseError) {
    const position = error.position ? Number(error.position) : undefined
    return new QueryError(error.message, position, error.code)
  }
  if (error instanceof Error) return new QueryError(error.message)
  return new QueryError(String(error))
}

async function endQuietly(client: pg.Client): Promise<void> {
  await client.end().catch(() => {})
}

/** BEGIN READ ONLY with the run's timeouts; the SELECT also takes the snapshot that forbids a later switch to read-write. */
async function beginReadOnly(client: pg.Client, timeoutMs: number, lockTimeoutMs: number): Promise<void> {
  await client.query('BEGIN READ ONLY')
  await client.query(
    `SELECT set_config('statement_timeout', $1, true), set_config('lock_timeout', $2, true)`,
    [`${timeoutMs}ms`, `${lockTimeoutMs}ms`],
  )
}

async function test(settings: ConnectionSettings): Promise<ConnectionTestResult> {
  let client: pg.Client | undefined
  try {
    client = await connect(settings, 'tessera-test')
    const { rows } = await client.query<{ version: string, create_database: boolean, create_schema: boolean, write_table: boolean }>(`
      SELECT current_setting('server_version') AS version,
             has_database_privilege(current_database(), 'CREATE') AS create_database,
             EXISTS (SELECT 1 FROM pg_namespace n
                     WHERE n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
                       AND has_schema_privilege(n.oid, 'CREATE')) AS create_schema,
             EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE c.relkind IN ('r', 'p') AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
                       AND has_table_privilege(c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE')) AS write_table`)
    const facts = rows[0]!
    const privileges = (await client.query<RolePrivileges>(ROLE_PRIVILEGES_SQL)).rows[0]!
    const problems = privilegeProblems(privileges)
    if (problems.length > 0 && !settings.allowPrivilegedRole) {
      return { ok: false, serverVersion: facts.version, warnings: [], error: privilegedRoleMessage(privileges.role_name, problems) }
    }
    const warnings: string[] = []
    if (problems.length > 0) warnings.push(`This role ${problems.join(', and ')}; runs are allowed only because this datasource allows a privileged role.`)
    else {
      if (facts.write_table) warnings.push('This role can change data in some tables (INSERT, UPDATE, DELETE or TRUNCATE): grant it SELECT only.')
      if (facts.create_schema) warnings.push('This role can create objects in some schemas: revoke CREATE.')
      if (facts.create_database) warnings.push('This role can create schemas in this database: revoke CREATE on the database.')
    }
    return { ok: true, serverVersion: facts.version, warnings }
  }
  catch (error) {
    return { ok: false, warnings: [], error: error instanceof Error ? error.message : String(error) }
  }
  finally {
    if (client) await endQuietly(client)
  }
}

const relationKinds: Record<string, SchemaTable['kind']> = { r: 'table', p: 'table', v: 'view', m: 'materialized view', f: 'foreign table' }

async function introspect(settings: ConnectionSettings): Promise<DatasourceSchema> {
  const client = await connect(settings, 'tessera-introspect')
  try {
    await checkRolePrivileges(client, settings.allowPrivilegedRole)
    // one round trip: columns aggregated per relation (fast on catalogs with 10,000 tables)
    const { rows } = await client.query<{ schema: string, name: string, kind: string, columns: string }>(`
      SELECT n.nspname AS schema, c.relname AS name, c.relkind::text AS kind,
             coalesce(json_agg(json_build_array(a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull)
                               ORDER BY a.attnum) FILTER (WHERE a.attnum IS NOT NULL), '[]')::text AS columns
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
        AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
      GROUP BY c.oid, n.nspname
      ORDER BY n.nspname, c.relname`)
    return {
      tables: rows.map(row => ({
        schema: row.schema,
        name: row.name,
        kind: relationKinds[row.kind]!,
        columns: (JSON.parse(row.columns) as [string, string, boolean][])
          .map(([name, type, nullable]) => ({ name, type, nullable })),
      })),
    }
  }
  finally {
    await endQuietly(client)
  }
}

async function terminateRun(settings: ConnectionSettings, runId: string, waitMs: number): Promise<boolean> {
  const client = await connect(settings, 'tessera-terminate')
  try {
    return await terminateRunBackends(client, runId, waitMs)
  }
  finally {
    await endQuietly(client)
  }
}

async function cancelBackend(settings: ConnectionSettings, pid: number): Promise<void> {
  const client = await connect(settings, 'tessera-cancel')
  try {
    await client.query('SELECT pg_cancel_backend($1)', [pid])
  }
  finally {
    await endQuietly(client)
  }
}

interface RowSource {
  fields: { name: string, dataTypeID: number }[]
  // the first batch is read before the execution is handed over, so errors that end a
  // statement before its first row (syntax, timeout, cancel) reject execute() itself
  first: IteratorResult<RowBlock[]>
  rest: AsyncIterator<RowBlock[]>
}

/** COPY for a parameterless statement that COPY accepts; undefined when the DataRow reader must run it. */
async function copySource(client: pg.Client, sql: string, caps: ValueCaps): Promise<RowSource | undefined> {
  const fields = await describeStatement(client, sql)
  // no columns: nothing COPY could print (SET, LISTEN, ...); the DataRow reader reports what it does
  if (fields.length === 0) return undefined
  await client.query('SAVEPOINT tessera_copy')
  const rest = copyRows(client, sql, BATCH_ROWS, caps)
  try {
    return { fields, first: await rest.next(), rest }
  }
  catch (error) {
    if (!isCopyRefusal(error)) throw error
    await client.query('ROLLBACK TO SAVEPOINT tessera_copy')
    return undefined
  }
}

/** The extended protocol (Parse/Bind/Execute), rows read from DataRow messages as COPY text lines. */
async function dataRowSource(client: pg.Client, request: ExecuteRequest, caps: ValueCaps): Promise<RowSource> {
  const reader = DataRowReader.start(client, request.sql, request.bindValues, BATCH_ROWS, caps)
  const rest = reader.rows()
  const first = await rest.next()
  return { fields: reader.fields, first, rest }
}

const CANCEL_REPEAT_MS = 500

async function execute(settings: ConnectionSettings, request: ExecuteRequest): Promise<Execution> {
  checkOneStatement(request.sql)
  // no legitimate silence outlasts the run's timeout plus the worker's grace (the deadline)
  const client = await connect(settings, runApplicationName(request.runId), request.timeoutMs + useConfig().TESSERA_RUN_DEADLINE_GRACE_MS)
  // processID is set once the backend key data arrives; typed as private in @types/pg
  const pid = (client as unknown as { processID: number }).processID
  let closed = false
  const close = async () => {
    if (closed) return
    closed = true
    await endQuietly(client)
  }
  // A cancel request that reaches the backend between two statements (the privilege
  // check, BEGIN, the user's statement) cancels nothing, and the statement sent next
  // would run to its end: the cancel is sent again every CANCEL_REPEAT_MS until the
  // execution is closed.
  const onAbort = () => {
    if (closed) return
    cancelBackend(settings, pid).catch(() => {})
      .finally(() => { if (!closed) setTimeout(onAbort, CANCEL_REPEAT_MS).unref() })
  }
  // the deadline: cancel, then terminate, from a side connection, and drop ours at once
  const onDeadline = () => {
    cancelBackend(settings, pid).catch(() => {})
      .finally(() => terminateRun(settings, request.runId, 0).catch(() => {}))
    socketOf(client).destroy()
  }
  request.signal?.addEventListener('abort', onAbort)
  request.deadline?.addEventListener('abort', onDeadline)
  const closeAndForget = async () => {
    request.signal?.removeEventListener('abort', onAbort)
    request.deadline?.removeEventListener('abort', onDeadline)
    await close()
  }
  try {
    if (request.deadline?.aborted) onDeadline()
    if (request.signal?.aborted) throw new QueryError('canceling statement due to user request', undefined, '57014')
    await checkRolePrivileges(client, settings.allowPrivilegedRole)
    await beginReadOnly(client, request.timeoutMs, request.lockTimeoutMs)
    const caps = request.valueCaps ?? DEFAULT_VALUE_CAPS
    const source = (request.bindValues.length === 0 ? await copySource(client, request.sql, caps) : undefined)
      ?? await dataRowSource(client, request, caps)
    const names = await typeNamesFor(source.fields.map(field => field.dataTypeID), oids => lookupTypeNames(settings, oids))
    const columns: ResultColumn[] = source.fields.map(field => ({ name: field.name, type: names.get(field.dataTypeID) ?? String(field.dataTypeID) }))
    const rowFormat: RowFormat = { type: 'copy-text', valueKinds: source.fields.map(field => valueKindOf(field.dataTypeID)) }
    async function* batches(): AsyncGenerator<RowBlock[]> {
      try {
        if (source.first.done) return
        yield source.first.value
        for (let next = await source.rest.next(); !next.done; next = await source.rest.next()) yield next.value
      }
      catch (error) {
        throw toQueryError(error)
      }
      finally {
        await closeAndForget()
      }
    }
    return { columns, rowFormat, batches: batches(), close: closeAndForget }
  }
  catch (error) {
    await closeAndForget()
    throw toQueryError(error)
  }
}

/** Type names for OIDs the name cache has not seen, from a short side connection. */
async function lookupTypeNames(settings: ConnectionSettings, oids: number[]): Promise<Map<number, string>> {
  const client = await connect(settings, 'tessera-types')
  try {
    const { rows } = await client.query<{ oid: number, name: string }>(`
      SELECT t.oid::int4 AS oid, CASE WHEN e.oid IS NOT NULL AND t.typcategory = 'A' THEN e.typname || '[]' ELSE t.typname END AS name
      FROM pg_type t LEFT JOIN pg_type e ON e.oid = t.typelem
      WHERE t.oid = ANY($1::oid[])`, [oids])
    return new Map(rows.map(row => [row.oid, row.name]))
  }
  finally {
    await endQuietly(client)
  }
}

const EXPLAIN_PREFIX = 'EXPLAIN (FORMAT JSON) '

async function estimate(settings: ConnectionSettings, request: ExecuteRequest): Promise<{ rows: number, cost: number, plan: string }> {
  checkOneStatement(request.sql)
  const client = await connect(settings, `tessera-estimate-${request.runId}`)
  try {
    await checkRolePrivileges(client, settings.allowPrivilegedRole)
    await beginReadOnly(client, request.timeoutMs, request.lockTimeoutMs)
    // the extended protocol even without values: Parse takes exactly one statement, so
    // nothing after a semicolon can ever reach the server as a statement of its own
    // (queryMode is pg's, missing from @types/pg)
    const explain = { text: `${EXPLAIN_PREFIX}${request.sql}`, values: request.bindValues as unknown[], rowMode: 'array', queryMode: 'extended' } as pg.QueryArrayConfig
    const { rows } = await client.query(explain)
    const explained = JSON.parse(String(rows[0]![0])) as { Plan: { 'Plan Rows': number, 'Total Cost': number } }[]
    const plan = explained[0]!.Plan
    return { rows: plan['Plan Rows'], cost: plan['Total Cost'], plan: JSON.stringify(explained, null, 2) }
  }
  catch (error) {
    // positions would point into the EXPLAIN prefix: shift them back onto the user's SQL
    const queryError = toQueryError(error) as QueryError
    const shift = EXPLAIN_PREFIX.length
    throw new QueryError(queryError.message, queryError.position && queryError.position > shift ? queryError.position - shift : undefined, queryError.code)
  }
  finally {
    await endQuietly(client)
  }
}

export const postgresConnector: Connector = { type: 'postgres', test, introspect, execute, estimate, terminateRun }
