// Runs (one execution each) and their persisted results. The web process inserts a
// run with its SQL already compiled to $n placeholders and the bound values beside it;
// the worker executes exactly that and writes the result chunks.
import { bigint, boolean, customType, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { runStatuses, runTriggers } from '../../shared/runs'
import { orgs, users } from './auth'
import { datasources } from './datasources'
import { queries } from './queries'

export const runStatusEnum = pgEnum('run_status', runStatuses)
export const runTriggerEnum = pgEnum('run_trigger', runTriggers)

const bytea = customType<{ data: Buffer, driverData: Buffer }>({ dataType: () => 'bytea' })

export interface RunLimits {
  timeoutMs: number
  maxRows: number
  maxBytes: number
}

export interface RunTimings {
  queuedMs?: number
  executingMs?: number
  storingMs?: number
}

export interface ResultColumn {
  name: string
  type: string
}

export const runs = pgTable('runs', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  datasourceId: uuid('datasource_id').notNull().references(() => datasources.id, { onDelete: 'cascade' }),
  queryId: uuid('query_id').references(() => queries.id, { onDelete: 'set null' }),
  queryVersion: integer('query_version'),
  // compiled SQL ($1, $2, …) and the values bound to it, in order
  sql: text('sql').notNull(),
  bindValues: jsonb('bind_values').$type<unknown[]>().notNull().default([]),
  // the parameter values as the caller gave them (for history and re-runs)
  params: jsonb('params').$type<Record<string, unknown>>().notNull().default({}),
  limits: jsonb('limits').$type<RunLimits>().notNull(),
  cacheKey: text('cache_key').notNull(),
  status: runStatusEnum('status').notNull().default('queued'),
  trigger: runTriggerEnum('trigger').notNull(),
  triggeredBy: uuid('triggered_by').references(() => users.id, { onDelete: 'set null' }),
  scheduleId: uuid('schedule_id'),
  queuedAt: timestamp('queued_at', { withTimezone: true }).notNull().defaultNow(),
  startedAt: timestamp('started_at', { withTimezone: true }),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
  timings: jsonb('timings').$type<RunTimings>().notNull().default({}),
  rowCount: bigint('row_count', { mode: 'number' }),
  byteCount: bigint('byte_count', { mode: 'number' }),
  truncated: boolean('truncated').notNull().default(false),
  error: text('error'),
  // 1-based character position in `sql` that Postgres blamed, when it gave one
  errorPosition: integer('error_position'),
  cancelRequestedAt: timestamp('cancel_requested_at', { withTimezone: true }),
  workerId: text('worker_id'),
  attempts: integer('attempts').notNull().default(0),
  heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }),
}, table => [
  index('runs_cache_idx').on(table.cacheKey, table.status, table.finishedAt),
  index('runs_query_idx').on(table.queryId, table.queuedAt),
  index('runs_org_idx').on(table.orgId, table.queuedAt),
  index('runs_status_idx').on(table.status),
])

/** A run as stored: the one type every layer of the server passes around. */
export type Run = typeof runs.$inferSelect

export const results = pgTable('results', {
  runId: uuid('run_id').primaryKey().references(() => runs.id, { onDelete: 'cascade' }),
  orgId: uuid('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  columns: jsonb('columns').$type<ResultColumn[]>().notNull(),
  rowCount: bigint('row_count', { mode: 'number' }).notNull(),
  byteCount: bigint('byte_count', { mode: 'number' }).notNull(),
  chunkRows: integer('chunk_rows').notNull(),
  chunkCount: integer('chunk_count').notNull(),
  truncated: boolean('truncated').notNull().default(false),
  storage: text('storage').$type<'postgres' | 's3'>().notNull(),
  // S3 key prefix of the chunk objects, when storage is s3
  objectPrefix: text('object_prefix'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
}, table => [index('results_expires_idx').on(table.expiresAt)])

export const resultChunks = pgTable('result_chunks', {
  runId: uuid('run_id').notNull().references(() => runs.id, { onDelete: 'cascade' }),
  chunkIndex: integer('chunk_index').notNull(),
  // one chunk of rows, compressed on its own so a page never decompresses the rest
  data: bytea('data').notNull(),
}, table => [primaryKey({ columns: [table.runId, table.chunkIndex] })])
