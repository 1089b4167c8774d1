// The reaper: every worker looks, each TESSERA_HEARTBEAT_SECONDS, for `running` runs whose
// heartbeat has been silent for TESSERA_HEARTBEAT_TIMEOUT_SECONDS (their worker was killed
// or lost its database). For each it first ends the run's backend on the datasource (found
// by its connection name) and waits until it is gone, and only then retries the run once
// or fails it with a reason. So no run stays `running` after its worker is gone, and a
// retried run never runs beside its first attempt.
import type { PgBoss } from 'pg-boss'
import { eq } from 'drizzle-orm'
import { datasources } from '../../db/schema'
import { connectionSettingsFor, getConnector } from '../connectors'
import { useConfig } from '../config'
import { useDb, usePool } from '../utils/db'
import { logger } from '../utils/logger'
import { publishRunEvent } from '../runs/events'
import { RUN_QUEUE } from '../queue/queues'
import { BACKEND_GONE_WAIT_MS } from './run-shutdown'
import { workerId } from './worker-id'

// a run is tried at most this many times before a dead worker fails it
const MAX_ATTEMPTS = 2
// stale runs one reaper pass takes on (the next pass takes the rest)
const BATCH = 50
export const WORKER_STOPPED_RESPONDING = 'worker stopped responding'

// written into runs.worker_id while this reaper settles a run: the dead worker's heartbeat
// and finish (which both match their own id) no longer touch it, and other reapers skip it
// because its heartbeat is fresh again
const reaperId = `reaper:${workerId}`

interface StaleRun {
  id: string
  datasource_id: string
  attempts: number
  canceled: boolean
}

/** Retries or fails runs whose worker stopped beating. Safe on several workers at once: each run is taken by one UPDATE. */
export async function reapStaleRuns(boss: PgBoss): Promise<void> {
  const { rows } = await usePool().query<StaleRun>(`
    UPDATE runs SET worker_id = $3, heartbeat_at = now()
    WHERE id IN (
      SELECT id FROM runs
      WHERE status = 'running' AND heartbeat_at < now() - make_interval(secs => $1)
      ORDER BY heartbeat_at
      LIMIT $2
      FOR UPDATE SKIP LOCKED
    ) AND status = 'running'
    RETURNING id, datasource_id, attempts, cancel_requested_at IS NOT NULL AS canceled`,
  [useConfig().TESSERA_HEARTBEAT_TIMEOUT_SECONDS, BATCH, reaperId])
  await Promise.all(rows.map(run => settleStaleRun(boss, run)))
}

async function settleStaleRun(boss: PgBoss, run: StaleRun): Promise<void> {
  const log = { runId: run.id, datasourceId: run.datasource_id }
  const stopped = await endBackend(run)
  const retry = stopped.gone && !run.canceled && run.attempts < MAX_ATTEMPTS
  const status = retry ? 'queued' : run.canceled ? 'canceled' : 'failed'
  const error = status !== 'failed'
    ? null
    : stopped.gone ? WORKER_STOPPED_RESPONDING : `${WORKER_STOPPED_RESPONDING}; its query could not be confirmed stopped on the datasource, so it was not retried (${stopped.reason})`
  const { rowCount } = await usePool().query(`
    UPDATE runs SET
      status = $2::run_status,
      error = $3,
      started_at = CASE WHEN $4 THEN NULL ELSE started_at END,
      finished_at = CASE WHEN $4 THEN NULL ELSE now() END,
      worker_id = NULL,
      heartbeat_at = NULL
    WHERE id = $1 AND status = 'running' AND worker_id = $5`,
  [run.id, status, error, retry, reaperId])
  if (!rowCount) return
  logger.warn('run lost its worker', { ...log, status, backendGone: stopped.gone })
  if (retry) await boss.send(RUN_QUEUE, { runId: run.id })
  await publishRunEvent(run.id, status === 'failed' ? { status, error: error! } : { status })
}

/** Terminates the run's backend on its datasource and waits until it is gone. */
async function endBackend(run: StaleRun): Promise<{ gone: boolean, reason?: string }> {
  try {
    const [datasource] = await useDb().select().from(datasources).where(eq(datasources.id, run.datasource_id))
    if (!datasource) return { gone: true }
    const gone = await getConnector(datasource.type).terminateRun(connectionSettingsFor(datasource), run.id, BACKEND_GONE_WAIT_MS)
    return gone ? { gone } : { gone, reason: `its backend was still there ${BACKEND_GONE_WAIT_MS} ms after pg_terminate_backend` }
  }
  catch (error) {
    return { gone: false, reason: error instanceof Error ? error.message : String(error) }
  }
}

/** Runs the reaper on this worker every heartbeat interval until stopped. */
export function startReaper(boss: PgBoss): { stop(): void } {
  let reaping = false
  const timer = setInterval(() => {
    if (reaping) return
    reaping = true
    reapStaleRuns(boss)
      .catch(error => logger.warn('reaper failed', { error: error instanceof Error ? error.message : String(error) }))
      .finally(() => { reaping = false })
  }, useConfig().TESSERA_HEARTBEAT_SECONDS * 1000)
  timer.unref()
  return { stop: () => clearInterval(timer) }
}
