// Proof of life for running runs: a worker touches heartbeat_at of each run it holds
// every TESSERA_HEARTBEAT_SECONDS. The reaper (run-reaper.ts) acts on its absence.
import { useConfig } from '../config'
import { usePool } from '../utils/db'
import { logger } from '../utils/logger'
import { workerId } from './worker-id'

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
