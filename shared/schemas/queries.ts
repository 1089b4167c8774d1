// Request bodies of the datasource, query and run routes (docs/ARCHITECTURE.md), shared by the
// pages (forms) and the server (validation). Parameter definitions and values live in
// shared/parameters.
import { z } from 'zod'
import { idSchema } from '../ids'
import { MAX_STREAMED_RUNS } from '../runs'
import { parameterListSchema } from '../parameters/types'
import { isBlankSql } from '../sql-statements'

export const sslModes = ['disable', 'prefer', 'require', 'verify-full'] as const

const hostname = z.string().trim().min(1, 'is required').max(255)
  // a host, not a URL or a connection string (those would smuggle options)
  .regex(/^[A-Za-z0-9._:-]+$/, 'must be a host name or IP address')

export const postgresConfigSchema = z.object({
  host: hostname,
  port: z.coerce.number().int('must be a whole number').min(1).max(65535).default(5432),
  database: z.string().trim().min(1, 'is required').max(63),
  user: z.string().trim().min(1, 'is required').max(63),
  // write-only: stored encrypted, never returned; on PATCH, absent keeps the stored one
  password: z.string().max(1000).optional(),
  sslmode: z.enum(sslModes, { message: `must be one of ${sslModes.join(', ')}` }).default('prefer'),
})

const datasourceName = z.string().trim().min(1, 'is required').max(200)
const maxConcurrentRuns = z.number().int('must be a whole number').min(1).max(100)
// runs even as a superuser or a role that may run programs or touch server files: an
// explicit admin exception, shown in red, off unless set
const allowPrivilegedRole = z.boolean({ message: 'must be true or false' })

export const createDatasourceSchema = z.object({
  name: datasourceName,
  type: z.literal('postgres', { message: 'must be "postgres"' }),
  config: postgresConfigSchema,
  maxConcurrentRuns: maxConcurrentRuns.optional(),
  allowPrivilegedRole: allowPrivilegedRole.optional(),
})

export const updateDatasourceSchema = z.object({
  name: datasourceName.optional(),
  type: z.literal('postgres', { message: 'must be "postgres"' }).optional(),
  // replaces the config; a missing password keeps the stored one, null clears it
  config: postgresConfigSchema.extend({ password: z.string().max(1000).nullable().optional() }).optional(),
  maxConcurrentRuns: maxConcurrentRuns.optional(),
  allowPrivilegedRole: allowPrivilegedRole.optional(),
})

export const testDatasourceSchema = createDatasourceSchema.pick({ type: true, config: true, allowPrivilegedRole: true })

export const runOptionsSchema = z.object({
  timeoutMs: z.number().int('must be a whole number').positive('must be positive').optional(),
  maxRows: z.number().int('must be a whole number').positive('must be positive').optional(),
  maxAgeSeconds: z.number().int('must be a whole number').nonnegative('must be 0 or more').optional(),
})
export type RunOptions = z.infer<typeof runOptionsSchema>

const queryName = z.string().trim().min(1, 'is required').max(300)
// blank SQL (whitespace, comments) is refused when saved too, not only when run
const querySql = z.string().min(1, 'is required').max(1_000_000, 'must be at most 1,000,000 characters')
  .refine(sql => !isBlankSql(sql), 'must hold a statement, not only whitespace or comments')
const tags = z.array(z.string().trim().min(1).max(50)).max(50)

export const createQuerySchema = z.object({
  name: queryName,
  datasourceId: z.uuid({ message: 'must be an id (UUID)' }),
  sql: querySql,
  description: z.string().max(10_000).optional(),
  tags: tags.optional(),
  parameters: parameterListSchema.default([]),
  options: runOptionsSchema.default({}),
})

export const updateQuerySchema = z.object({
  name: queryName.optional(),
  datasourceId: z.uuid({ message: 'must be an id (UUID)' }).optional(),
  sql: querySql.optional(),
  description: z.string().max(10_000).optional(),
  tags: tags.optional(),
  parameters: parameterListSchema.optional(),
  options: runOptionsSchema.optional(),
  // unarchive by sending false
  archived: z.boolean().optional(),
})

export const listQueriesSchema = z.object({
  q: z.string().max(200).optional(),
  tag: z.string().max(50).optional(),
  owner: z.union([z.literal('me'), z.uuid({ message: 'must be "me" or a user id' })]).optional(),
  archived: z.enum(['true', 'false', 'all']).default('false'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
})

const paramValues = z.record(z.string(), z.unknown())

// Sort the whole result: the run wraps the query in ORDER BY <column position>, so the
// column is a number (1 = first column), never a name spliced into SQL.
export const resultSortSchema = z.object({
  column: z.number().int('must be a whole number').min(1, 'must be 1 or more').max(1664, 'must be at most 1664'),
  direction: z.enum(['asc', 'desc']),
})
export type ResultSort = z.infer<typeof resultSortSchema>

export const queryRunSchema = z.object({
  params: paramValues.optional(),
  maxAgeSeconds: z.number().int('must be a whole number').nonnegative('must be 0 or more').optional(),
  sort: resultSortSchema.optional(),
})

export const adhocRunSchema = z.object({
  datasourceId: z.uuid({ message: 'must be an id (UUID)' }),
  sql: querySql,
  params: paramValues.optional(),
  parameters: parameterListSchema.optional(),
  options: runOptionsSchema.optional(),
  sort: resultSortSchema.optional(),
})

export const resultPageSchema = z.object({
  offset: z.coerce.number().int('must be a whole number').min(0, 'must be 0 or more').default(0),
  limit: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(10_000, 'must be at most 10,000').default(1000),
})

// `?refresh=1` reloads a datasource's catalog instead of answering from the minute's cache
export const catalogQuery = z.object({ refresh: z.enum(['0', '1', 'true', 'false']).optional() })

// `?hard=1` deletes a query for good instead of archiving it
export const deleteQueryOptions = z.object({ hard: z.enum(['0', '1', 'true', 'false']).optional() })

export const cloneQueryBody = z.object({ name: z.string().trim().min(1).max(300).optional() })

export const parameterOptionsParams = z.object({ id: idSchema, name: z.string().min(1).max(63) })

export const restoreVersionParams = z.object({ id: idSchema, version: z.coerce.number().int('must be a version number').positive('must be a version number') })

// a query's run history: `before` is the ISO time of the last row seen
export const runHistoryQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 time' }).optional(),
})

// `?raw=1` on a CSV or XLSX export: text exactly as stored, for scripts rather than spreadsheets
export const resultExportSchema = z.object({
  raw: z.enum(['0', '1', 'true', 'false']).optional().transform(value => value === '1' || value === 'true'),
})

// `?ids=<id>,<id>,…`: the runs one event stream follows
export const runEventsQuery = z.object({
  ids: z.string().transform(ids => ids.split(',')).pipe(z.array(idSchema).min(1).max(MAX_STREAMED_RUNS)),
})
