// Proof of life for running runs, and the reaper that acts on its absence. A worker
// touches heartbeat_at of each run it holds every TESSERA_HEARTBEAT_SECONDS; every
// worker also looks for `running` runs silent for TESSERA_HEARTBEAT_TIMEOUT_SECONDS
// (their worker was killed or lost its database) and sends them back to the queue once,
// or fails them with a reason. So no run stays `running` after its worker is gone.
import type { PgBoss } from 'pg-boss'
import type { RunStatus } from '#shared/runs'
import { useConfig } from '../config'
import { usePool } from '../utils/db'
import { logger } from '../utils/logger'
import { publishRunEvent } from '../runs/events'
import { RUN_QUEUE } from '../queue/queues'
import { workerId } from './worker-id'

// a run is tried at most this many times before a dead worker fails it
const MAX_ATTEMPTS = 2
export const WORKER_STOPPED_RESPONDING = 'worker stopped responding'

/** Beats for one run until stopped; calls onCancelRequested if the row says a cancel was asked (a missed NOTIFY). */
export function startHeartbeat(runId: string, onCancelRequested: () => void): { stop(): void } {
  const timer = setInterval(() => {
    usePool().query<{ cancel_requested_at: Date | null }>(
      `UPDATE runs SET heartbeat_at = now() WHERE id = $1 AND worker_id = $2 AND status = 'running' RETURNING cancel_requested_at`,
      [runId, workerId],
    ).then(({ rows }) => {
      if (rows[0]?.cancel_requested_at) onCancelRequested()
    }).catch(error => logger.warn('heartbeat failed', { runId, error: String(error) }))
  }, useConfig().TESSERA_HEARTBEAT_SECONDS * 1000)
  timer.unref()
  return { stop: () => clearInterval(timer) }
}

/** Retries or fails runs whose worker stopped beating. Safe on several workers at once: each row is taken by one UPDATE. */
export async function reapStaleRuns(boss: PgBoss): Promise<void> {
  const { rows } = await usePool().query<{ id: string, status: RunStatus }>(`
    WITH stale AS (
      SELECT id, attempts < $2 AND cancel_requested_at IS NULL AS retry, cancel_requested_at IS NOT NULL AS canceled
      FROM runs
      WHERE status = 'running' AND heartbeat_at < now() - make_interval(secs => $1)
      FOR UPDATE SKIP LOCKED
    )
    UPDATE runs SET
      status = (CASE WHEN stale.retry THEN 'queued' WHEN stale.canceled THEN 'canceled' ELSE 'failed' END)::run_status,
      error = CASE WHEN stale.retry OR stale.canceled THEN NULL ELSE $3 END,
      finished_at = CASE WHEN stale.retry THEN NULL ELSE now() END,
      worker_id = NULL,
      heartbeat_at = NULL
    FROM stale WHERE runs.id = stale.id AND runs.status = 'running'
    RETURNING runs.id, runs.status`,
  [useConfig().TESSERA_HEARTBEAT_TIMEOUT_SECONDS, MAX_ATTEMPTS, WORKER_STOPPED_RESPONDING])
  for (const run of rows) {
    logger.warn('run lost its worker', { runId: run.id, status: run.status })
    if (run.status === 'queued') await boss.send(RUN_QUEUE, { runId: run.id })
    await publishRunEvent(run.id, run.status === 'failed' ? { status: 'failed', error: WORKER_STOPPED_RESPONDING } : { status: run.status })
  }
}

/** Runs the reaper on this worker every heartbeat interval until stopped. */
export function startReaper(boss: PgBoss): { stop(): void } {
  let reaping = false
  const timer = setInterval(() => {
    if (reaping) return
    reaping = true
    reapStaleRuns(boss)
      .catch(error => logger.warn('reaper failed', { error: String(error) }))
      .finally(() => { reaping = false })
  }, useConfig().TESSERA_HEARTBEAT_SECONDS * 1000)
  timer.unref()
  return { stop: () => clearInterval(timer) }
}
