// Graceful shutdown of the run worker (SIGTERM). The worker stops taking runs, lets the
// ones it holds finish for a grace period (TESSERA_SHUTDOWN_GRACE_SECONDS; unset: the
// longest remaining run timeout, at most TESSERA_SHUTDOWN_GRACE_MAX_SECONDS), then stops
// the rest on the datasource and hands them back to the queue, where another worker runs
// them from the start. A run is handed back only once its backend is confirmed gone, so
// it never executes twice at once, and no run is left `running` by a stopped worker.
import { and, eq, sql } from 'drizzle-orm'
import { runs, type datasources, type Run } from '../../db/schema'
import { connectionSettingsFor, getConnector } from '../connectors'
import { useConfig } from '../config'
import { useBoss } from '../queue/boss'
import { useDb } from '../utils/db'
import { logger } from '../utils/logger'
import { publishRunEvent } from '../runs/events'
import { RUN_QUEUE } from '../queue/queues'
import { workerId } from './worker-id'

type Datasource = typeof datasources.$inferSelect

// how long a handed-back run's backend may take to go before the run is failed instead
export const BACKEND_GONE_WAIT_MS = 5_000
const POLL_MS = 50

const handingBack = new Set<string>()

export function isHandingBack(runId: string): boolean {
  return handingBack.has(runId)
}

/** Seconds to let running runs finish: the configured grace, or the longest remaining timeout (capped). */
export async function shutdownGraceMs(): Promise<number> {
  const config = useConfig()
  const capMs = config.TESSERA_SHUTDOWN_GRACE_MAX_SECONDS * 1000
  if (config.TESSERA_SHUTDOWN_GRACE_SECONDS !== undefined) return config.TESSERA_SHUTDOWN_GRACE_SECONDS * 1000
  try {
    const [row] = await useDb().select({
      remainingMs: sql<number | null>`max(extract(epoch from ${runs.startedAt}) * 1000 + (${runs.limits}->>'timeoutMs')::bigint - extract(epoch from clock_timestamp()) * 1000)::float8`,
    }).from(runs).where(and(eq(runs.workerId, workerId), eq(runs.status, 'running')))
    return Math.max(0, Math.min(capMs, Math.ceil(row?.remainingMs ?? 0)))
  }
  catch {
    return capMs
  }
}

/**
 * Waits for the runs this process executes (activeRunIds) to end, up to the grace; then
 * stops the remaining ones (cancelRun) and waits until each is handed back.
 */
export async function drainRuns(activeRunIds: () => string[], cancelRun: (runId: string) => void): Promise<void> {
  if (activeRunIds().length === 0) return
  const graceMs = await shutdownGraceMs()
  logger.info('worker draining runs', { runs: activeRunIds().length, graceMs })
  await waitUntil(() => activeRunIds().length === 0, graceMs)
  const left = activeRunIds()
  if (left.length === 0) return
  logger.warn('grace over: handing running runs back to the queue', { runIds: left })
  for (const runId of left) {
    handingBack.add(runId)
    cancelRun(runId)
  }
  await waitUntil(() => activeRunIds().length === 0, BACKEND_GONE_WAIT_MS + 10_000)
}

/** Called by the executor once a run stopped for the shutdown has unwound: requeue it, or fail it if its backend lingers. */
export async function handBackRun(run: Run, datasource: Datasource): Promise<void> {
  const log = { runId: run.id, datasourceId: datasource.id }
  let gone = false
  try {
    gone = await getConnector(datasource.type).terminateRun(connectionSettingsFor(datasource), run.id, BACKEND_GONE_WAIT_MS)
  }
  catch (error) {
    logger.warn('could not reach the datasource to confirm a handed-back run stopped', { ...log, error: String(error) })
  }
  const requeue = gone
  const [updated] = await useDb().update(runs)
    .set(requeue
      ? { status: 'queued', startedAt: null, workerId: null, heartbeatAt: null }
      : { status: 'failed', finishedAt: sql`now()`, heartbeatAt: null, error: 'The worker shut down and could not confirm the query stopped on the datasource.' })
    .where(and(eq(runs.id, run.id), eq(runs.status, 'running'), eq(runs.workerId, workerId)))
    .returning({ status: runs.status })
  handingBack.delete(run.id)
  if (!updated) return
  if (requeue) await (await useBoss()).send(RUN_QUEUE, { runId: run.id })
  await publishRunEvent(run.id, requeue ? { status: 'queued' } : { status: 'failed', error: 'The worker shut down' })
  logger.info(requeue ? 'run handed back to the queue' : 'run failed at shutdown', log)
}

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!done() && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, POLL_MS))
}
