// The worker's presence: a worker process proves it is alive by upserting its row in
// worker_heartbeats; the web reads those rows (server/status/system-status.ts) to warn
// users and inform admins. Not to be confused with a run's heartbeat (run-heartbeat.ts).
import { hostname } from 'node:os'
import { eq, lt, sql } from 'drizzle-orm'
import { workerHeartbeats } from '../../db/schema'
import { useDb } from '../utils/db'
import { logger } from '../utils/logger'
import { workerId } from './worker-id'

const PRESENCE_INTERVAL_MS = 10_000
// rows of workers gone this long are removed, so the admin list does not grow forever
const FORGET_AFTER_MS = 24 * 60 * 60 * 1000

async function beat(): Promise<void> {
  await useDb().insert(workerHeartbeats)
    .values({ workerId, hostname: hostname(), pid: process.pid })
    .onConflictDoUpdate({ target: workerHeartbeats.workerId, set: { lastSeenAt: sql`now()` } })
}

/** Announces this worker now and every interval until the returned function is called. */
export function startWorkerPresence(): () => Promise<void> {
  const beatSafely = () => beat().catch(error => logger.warn('worker presence failed', { workerId, error: String(error) }))
  void beatSafely()
  void useDb().delete(workerHeartbeats).where(lt(workerHeartbeats.lastSeenAt, new Date(Date.now() - FORGET_AFTER_MS)))
    .catch(() => {})
  const timer = setInterval(beatSafely, PRESENCE_INTERVAL_MS)
  return async () => {
    clearInterval(timer)
    // a clean stop says so at once instead of waiting for the window to pass
    await useDb().delete(workerHeartbeats).where(eq(workerHeartbeats.workerId, workerId)).catch(() => {})
  }
}
