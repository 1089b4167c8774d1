// Owns the machinery's health signals: a worker process proves it is alive by upserting
// its heartbeat row; the web reads those rows to warn users and inform admins.
import { hostname } from 'node:os'
import { randomBytes } from 'node:crypto'
import { eq, lt, sql } from 'drizzle-orm'
import { workerHeartbeats } from '../../db/schema'
import { useDb } from '../utils/db'
import { logger } from '../utils/logger'

export const WORKER_HEARTBEAT_INTERVAL_MS = 10_000
// a worker unseen this long is considered gone (the banner's "for a minute")
export const WORKER_ALIVE_WINDOW_MS = 60_000
// rows of workers gone this long are removed, so the admin list does not grow forever
const FORGET_AFTER_MS = 24 * 60 * 60 * 1000

export const workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`

async function beat(): Promise<void> {
  await useDb().insert(workerHeartbeats)
    .values({ workerId, hostname: hostname(), pid: process.pid })
    .onConflictDoUpdate({ target: workerHeartbeats.workerId, set: { lastSeenAt: sql`now()` } })
}

export function startWorkerHeartbeat(): () => Promise<void> {
  const beatSafely = () => beat().catch(error => logger.warn('worker heartbeat failed', { workerId, error: String(error) }))
  void beatSafely()
  void useDb().delete(workerHeartbeats).where(lt(workerHeartbeats.lastSeenAt, new Date(Date.now() - FORGET_AFTER_MS)))
    .catch(() => {})
  const timer = setInterval(beatSafely, WORKER_HEARTBEAT_INTERVAL_MS)
  return async () => {
    clearInterval(timer)
    // a clean stop says so at once instead of waiting for the window to pass
    await useDb().delete(workerHeartbeats).where(eq(workerHeartbeats.workerId, workerId)).catch(() => {})
  }
}
