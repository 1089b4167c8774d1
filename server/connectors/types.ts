// The connector boundary: everything the run pipeline and the datasource pages need
// from a kind of database. Postgres is the first implementation; a second connector
// implements this interface and registers itself in server/connectors/index.ts,
// without touching server/runs or server/results.
import type { ResultColumn } from '../../db/schema'
import type { ValueCaps } from './value-caps'

export interface ConnectionSettings {
  config: Record<string, unknown>
  password: string | undefined
  // the admin's explicit exception: run even as a superuser or a role that may run
  // programs or touch server files (postgres-privileges.ts refuses those otherwise)
  allowPrivilegedRole?: boolean
}

export interface ConnectionTestResult {
  ok: boolean
  serverVersion?: string
  // e.g. "this role can write: grant it SELECT only"
  warnings: string[]
  error?: string
}

export interface SchemaColumn { name: string, type: string, nullable: boolean }
export interface SchemaTable { schema: string, name: string, kind: 'table' | 'view' | 'materialized view' | 'foreign table', columns: SchemaColumn[] }
export interface DatasourceSchema { tables: SchemaTable[] }

export interface ExecuteRequest {
  runId: string
  sql: string
  bindValues: unknown[]
  timeoutMs: number
  lockTimeoutMs: number
  // longer values are cut, with a note (server/connectors/value-caps.ts); defaults when absent
  valueCaps?: ValueCaps
  // aborting asks the database to stop the statement, at any point of the execution
  // (while connecting, before the first row, or while rows stream)
  signal?: AbortSignal
  // aborting means the run is over whatever the database does (the worker's deadline):
  // the backend is canceled and terminated and the connection dropped at once, so every
  // pending read fails instead of waiting on a datasource that stopped answering
  deadline?: AbortSignal
}

/** How a value reads back from text: JSON numbers, booleans, or the text itself (docs/ARCHITECTURE.md). */
export type ValueKind = 'integer' | 'float' | 'boolean' | 'text'

/**
 * How the rows of Execution.batches are encoded: each row one line of Postgres COPY text
 * format with its newline (tab-separated, \N for NULL, backslash escapes), whose values
 * read back as `valueKinds` say. The run stores the lines as they come (and counts their
 * bytes against max bytes); server/results/copy-text.ts reads them.
 */
export interface RowFormat { type: 'copy-text', valueKinds: ValueKind[] }

/**
 * Rows as a connector hands them over: COPY text lines laid end to end in `bytes`; row i
 * ends at `ends[i]` and starts where row i - 1 ends (row 0 at 0). One object for a block
 * of rows, not one per row: a large run reads millions of rows, and a view per row cost
 * more than reading it (BENCHMARKS.md, "Engine: reading the figures"). `bytes` may be a
 * view of a connector's buffer: whoever keeps rows copies them before the next batch.
 */
export interface RowBlock {
  bytes: Buffer
  ends: number[]
}

/**
 * One execution in progress. Rows arrive in batches of blocks, encoded in `rowFormat`; decoded,
 * they are Postgres-text-faithful values (see docs/ARCHITECTURE.md: numbers for int2/int4/float4/
 * float8, booleans, null, strings for all else). The consumer pulls; nothing is buffered
 * beyond a batch or two.
 */
export interface Execution {
  columns: ResultColumn[]
  rowFormat: RowFormat
  batches: AsyncIterable<RowBlock[]>
  // ends the execution early (limits reached) and releases the connection
  close(): Promise<void>
}

export interface Connector {
  type: string
  test(settings: ConnectionSettings): Promise<ConnectionTestResult>
  introspect(settings: ConnectionSettings): Promise<DatasourceSchema>
  execute(settings: ConnectionSettings, request: ExecuteRequest): Promise<Execution>
  // ends every backend still running this run (found by its connection's name, so it works
  // for a run whose worker died) and waits up to waitMs for them to go; true when none is left
  terminateRun(settings: ConnectionSettings, runId: string, waitMs: number): Promise<boolean>
  // a cheap plan estimate, without executing (EXPLAIN)
  estimate(settings: ConnectionSettings, request: ExecuteRequest): Promise<{ rows: number, cost: number, plan: string }>
}

/** Errors the connector reports to users: message and, when given, a 1-based position in the SQL. */
export class QueryError extends Error {
  constructor(message: string, readonly position?: number, readonly code?: string) {
    super(message)
  }
}
