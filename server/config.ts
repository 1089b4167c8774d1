// Owns the process configuration: read from the environment once, validated with
// zod, failing fast with a message that names the variable. Nothing else reads
// process.env for Tessera settings.
import { z } from 'zod'
import { cronProblem } from '#shared/schedules'
import { DEFAULT_VALUE_CAPS } from './connectors/value-caps'

const booleanFlag = z.enum(['0', '1', 'true', 'false']).transform(value => value === '1' || value === 'true')

// A CSP frame-ancestors source list: `none`, or `self` and/or origins such as
// `https://tv.example.com` or `https://*.example.com:8443` (quotes optional). Anything else,
// a `;` above all, could change the rest of the policy, so it is refused.
const FRAME_SOURCE = /^(?:'self'|self|https?:\/\/(?:\*\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*(?::(?:\d{1,5}|\*))?\/?)$/i
const frameAncestors = z.string().trim().transform((value, context) => {
  const sources = value.split(/\s+/)
  if (sources.length === 1 && /^'?none'?$/i.test(sources[0]!)) return `'none'`
  const invalid = sources.filter(source => !FRAME_SOURCE.test(source))
  if (invalid.length) {
    context.addIssue({ code: 'custom', message: `must be none, or self and/or origins like https://tv.example.com (not ${invalid.join(' ')})` })
    return z.NEVER
  }
  return sources.map(source => /^'?self'?$/i.test(source) ? `'self'` : source.replace(/\/$/, '').toLowerCase()).join(' ')
})

const configSchema = z.object({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection URL'),
  APP_ROLE: z.enum(['web', 'worker']).default('web'),
  // the HTTP port (Nitro reads it too; the worker entry serves its health check on it)
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  TESSERA_SECRET_KEY: z.string().regex(/^[0-9a-f]{64}$/i, 'must be 64 hex characters (32 bytes)').optional(),
  TESSERA_ADMIN_EMAIL: z.email().optional(),
  TESSERA_ADMIN_PASSWORD: z.string().min(8).optional(),
  TESSERA_DEMO_DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection URL').optional(),
  TESSERA_COOKIE_SECURE: booleanFlag.optional(),
  // hosts datasources may not connect to: `host` or `host:port`, comma-separated; unset:
  // the metadata server (DATABASE_URL's host and port); `none`: no host is denied
  TESSERA_DATASOURCE_DENY_HOSTS: z.string().optional(),
  TESSERA_MIGRATIONS_DIR: z.string().optional(),
  // sign-in limiting: failures allowed per account from one client address before the
  // wait between attempts doubles (5× that per address across accounts); the longest wait
  TESSERA_LOGIN_MAX_FAILURES: z.coerce.number().int().positive().default(10),
  TESSERA_LOGIN_WINDOW_SECONDS: z.coerce.number().int().positive().default(900),
  // how many reverse proxies in front of the web append to X-Forwarded-For; 0 (unset): the
  // header is ignored and the socket's address is the client's (anyone can write the header)
  TESSERA_TRUST_PROXY: z.string().regex(/^(\d+|true|false)$/, 'must be a number of proxies, true (1) or false (0)')
    .transform(value => value === 'true' ? 1 : value === 'false' ? 0 : Number(value)).default(0),
  TESSERA_SESSION_DAYS: z.coerce.number().int().positive().default(30),
  // the largest request body read, in bytes: sign-in and session routes (/api/auth/*), and
  // every other route (SQL, dashboards, ...); a bigger one is refused with 413 unread
  TESSERA_MAX_AUTH_BODY_BYTES: z.coerce.number().int().positive().default(16 * 1024),
  TESSERA_MAX_BODY_BYTES: z.coerce.number().int().positive().default(2 * 1024 * 1024),
  // which pages may show Tessera in a frame (CSP frame-ancestors): none by default; `self`
  // and/or origins (`https://tv.example.com`) for a wall screen's page embedding dashboards
  TESSERA_FRAME_ANCESTORS: frameAncestors.default(`'none'`),

  // run limits (docs/ARCHITECTURE.md): defaults, and the ceilings a per-run override may reach
  TESSERA_DEFAULT_TIMEOUT_MS: z.coerce.number().int().positive().default(5 * 60_000),
  TESSERA_MAX_TIMEOUT_MS: z.coerce.number().int().positive().default(60 * 60_000),
  TESSERA_DEFAULT_MAX_ROWS: z.coerce.number().int().positive().default(1_000_000),
  TESSERA_MAX_BYTES: z.coerce.number().int().positive().default(512 * 1024 * 1024),
  TESSERA_CACHE_MAX_AGE_SECONDS: z.coerce.number().int().nonnegative().default(300),
  TESSERA_LOCK_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  // metadata connections per process; unset: 10 for web, 20 for a worker (its runs, the
  // scheduler's firings and the queue all draw on it)
  TESSERA_DB_POOL_SIZE: z.coerce.number().int().positive().optional(),
  // the reads every request makes are named prepared statements, planned once per
  // connection; false behind a pooler that cannot keep them (PgBouncer before 1.21, or
  // transaction pooling without max_prepared_statements)
  TESSERA_DB_PREPARED_STATEMENTS: booleanFlag.default(true),
  // runs one worker process executes at once (all datasources together)
  TESSERA_WORKER_CONCURRENCY: z.coerce.number().int().positive().default(4),
  // how often a running run proves its worker is alive, and how long silence means dead
  TESSERA_HEARTBEAT_SECONDS: z.coerce.number().int().positive().default(5),
  TESSERA_HEARTBEAT_TIMEOUT_SECONDS: z.coerce.number().int().positive().default(30),
  // the worker's own wall-clock deadline: a run still going this long past its timeout is
  // stopped on the datasource and marked timed_out, whatever the datasource does
  TESSERA_RUN_DEADLINE_GRACE_MS: z.coerce.number().int().nonnegative().default(5_000),
  // a run events stream pings this often, re-reading its runs and the caller's access
  // (a grant removed while a stream is open ends it at the next re-read)
  TESSERA_EVENTS_KEEPALIVE_SECONDS: z.coerce.number().positive().default(15),
  // opening a datasource connection gives up after this long
  TESSERA_DATASOURCE_CONNECT_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  // SIGTERM: how long a worker lets its running runs finish before handing them back to the
  // queue; unset: the longest remaining run timeout, at most TESSERA_SHUTDOWN_GRACE_MAX_SECONDS
  TESSERA_SHUTDOWN_GRACE_SECONDS: z.coerce.number().nonnegative().optional(),
  TESSERA_SHUTDOWN_GRACE_MAX_SECONDS: z.coerce.number().nonnegative().default(120),

  // run quotas for people (user, API and dashboard runs; schedules are exempt): runs queued
  // or running at once, and runs started in the last minute, per user and per org
  TESSERA_QUOTA_USER_ACTIVE_RUNS: z.coerce.number().int().positive().default(20),
  TESSERA_QUOTA_ORG_ACTIVE_RUNS: z.coerce.number().int().positive().default(200),
  TESSERA_QUOTA_USER_RUNS_PER_MINUTE: z.coerce.number().int().positive().default(120),
  TESSERA_QUOTA_ORG_RUNS_PER_MINUTE: z.coerce.number().int().positive().default(1_000),

  // results storage and retention
  TESSERA_RESULT_CHUNK_ROWS: z.coerce.number().int().positive().default(5_000),
  // a value (and a row) longer than this is cut, ending with a note saying so
  TESSERA_MAX_VALUE_BYTES: z.coerce.number().int().positive().default(DEFAULT_VALUE_CAPS.maxValueBytes),
  TESSERA_MAX_ROW_BYTES: z.coerce.number().int().positive().default(DEFAULT_VALUE_CAPS.maxRowBytes),
  // a result page stops once its rows pass this much text (at least one row per page)
  TESSERA_PAGE_MAX_BYTES: z.coerce.number().int().positive().default(8 << 20),
  TESSERA_RESULT_TTL_HOURS: z.coerce.number().positive().default(24 * 7),
  TESSERA_RUN_RETENTION_DAYS: z.coerce.number().positive().default(90),
  // audit rows older than this are deleted by the same retention job
  TESSERA_AUDIT_RETENTION_DAYS: z.coerce.number().positive().default(400),
  // when the retention job runs (cron, UTC); pg-boss starts it on one worker per slot
  TESSERA_RETENTION_CRON: z.string().default('*/10 * * * *').superRefine((cron, context) => {
    const problem = cronProblem(cron)
    if (problem) context.addIssue({ code: 'custom', message: `cron ${problem}` })
  }),
  // results bigger than this (bytes, compressed) go to S3 when S3 is configured
  TESSERA_S3_THRESHOLD_BYTES: z.coerce.number().int().nonnegative().default(8 * 1024 * 1024),
  TESSERA_S3_ENDPOINT: z.url().optional(),
  TESSERA_S3_REGION: z.string().default('us-east-1'),
  TESSERA_S3_BUCKET: z.string().optional(),
  TESSERA_S3_ACCESS_KEY_ID: z.string().optional(),
  TESSERA_S3_SECRET_ACCESS_KEY: z.string().optional(),
  TESSERA_S3_FORCE_PATH_STYLE: booleanFlag.default(false),
  TESSERA_S3_PREFIX: z.string().default('results/'),

  // schedules: how often each worker looks for due schedules, and how many it claims per transaction
  TESSERA_SCHEDULER_TICK_SECONDS: z.coerce.number().positive().default(5),
  TESSERA_SCHEDULER_BATCH: z.coerce.number().int().positive().default(500),
})

export type TesseraConfig = z.infer<typeof configSchema>

let loaded: TesseraConfig | undefined

export function useConfig(): TesseraConfig {
  if (loaded) return loaded
  const parsed = configSchema.safeParse(process.env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map(issue => `${issue.path.join('.')}: ${issue.message}`)
    throw new Error(`Invalid configuration:\n  ${problems.join('\n  ')}`)
  }
  loaded = parsed.data
  return loaded
}
