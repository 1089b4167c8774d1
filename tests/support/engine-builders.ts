// Fixtures for the execution engine: a datasource pointing at the test Postgres server
// as the read-only test role (with its password encrypted the way the API stores it) and
// queued runs sent to the run queue, without going through the web's enqueue.
// A datasource built here is granted `query` to Everyone unless told otherwise: most tests
// are not about access, and those that are say which grants they want.
import { eq } from 'drizzle-orm'
import { datasources, runs, type RunLimits } from '../../db/schema'
import { grantToEveryone } from '../../server/access/grants'
import { encryptSecret } from '../../server/connectors/secrets'
import type { GrantLevel } from '#shared/schemas/groups'
import type { ConnectionSettings } from '../../server/connectors/types'
import { useBoss } from '../../server/queue/boss'
import { RUN_QUEUE } from '../../server/queue/queues'
import { useDb } from '../../server/utils/db'
import { isRunFinished } from '#shared/runs'
import { readerUrlFor } from './database'

/** The settings a connector needs to reach the database at this URL, as the read-only test role. */
export function settingsForUrl(databaseUrl: string): ConnectionSettings {
  const url = new URL(readerUrlFor(databaseUrl))
  return {
    config: { host: url.hostname, port: Number(url.port || 5432), database: url.pathname.slice(1), user: decodeURIComponent(url.username), sslmode: 'disable' },
    password: decodeURIComponent(url.password),
  }
}

export async function buildDatasource(orgId: string, databaseUrl: string, values: { maxConcurrentRuns?: number, name?: string, everyone?: GrantLevel | null } = {}) {
  const settings = settingsForUrl(databaseUrl)
  const [datasource] = await useDb().insert(datasources).values({
    orgId,
    name: values.name ?? 'Test source',
    type: 'postgres',
    config: settings.config as never,
    encryptedPassword: encryptSecret(settings.password!),
    maxConcurrentRuns: values.maxConcurrentRuns ?? 4,
  }).returning()
  const everyone = values.everyone === undefined ? 'query' : values.everyone
  if (everyone) await grantToEveryone(orgId, datasource!.id, everyone)
  return datasource!
}

export const testLimits: RunLimits = { timeoutMs: 30_000, maxRows: 1_000_000, maxBytes: 256 * 1024 * 1024 }

export interface QueuedRunValues {
  orgId: string
  datasourceId: string
  sql: string
  bindValues?: unknown[]
  limits?: Partial<RunLimits>
  queryId?: string
}

/** Inserts a queued run row and sends its job, as the web's enqueue does. */
export async function insertQueuedRun(values: QueuedRunValues) {
  const [run] = await useDb().insert(runs).values({
    orgId: values.orgId,
    datasourceId: values.datasourceId,
    queryId: values.queryId,
    sql: values.sql,
    bindValues: values.bindValues ?? [],
    limits: { ...testLimits, ...values.limits },
    cacheKey: `test-${Math.random()}`,
    trigger: 'user',
  }).returning()
  const boss = await useBoss()
  await boss.send(RUN_QUEUE, { runId: run!.id })
  return run!
}

/** Polls the run row until check(run) holds (default: the run finished); fails after timeoutMs. */
export async function waitForRun(runId: string, check: (run: typeof runs.$inferSelect) => boolean = run => isRunFinished(run.status), timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const [run] = await useDb().select().from(runs).where(eq(runs.id, runId))
    if (run && check(run)) return run
    if (Date.now() > deadline) throw new Error(`run ${runId} did not get there in ${timeoutMs} ms (now ${run?.status})`)
    await new Promise(done => setTimeout(done, 25))
  }
}
