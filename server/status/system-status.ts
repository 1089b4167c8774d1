// What the admin status page and the "no worker" banner show: live workers, queue depth,
// the oldest queued run, scheduler lag, and how much result storage is in use. These are
// facts about the shared machinery (workers, queue), so they are not scoped by org.
import { count, desc, eq, min, sql, sum } from 'drizzle-orm'
import { results, runs, workerHeartbeats } from '../../db/schema'
import { useDb } from '../utils/db'
import { schedulerStatus } from '../schedules/status'

// a worker unseen this long is considered gone (the banner's "for a minute"); workers
// announce themselves every 10 s (server/worker/presence.ts)
const WORKER_ALIVE_WINDOW_MS = 60_000

export async function getWorkerLiveness() {
  const [row] = await useDb().select({ lastSeenAt: sql<Date | null>`max(${workerHeartbeats.lastSeenAt})` }).from(workerHeartbeats)
  const lastSeenAt = row?.lastSeenAt ? new Date(row.lastSeenAt) : null
  return { alive: !!lastSeenAt && Date.now() - lastSeenAt.getTime() < WORKER_ALIVE_WINDOW_MS, lastSeenAt }
}

/** The machinery's state; schedules failing to compute their next time are listed for `orgId` only. */
export async function getSystemStatus(orgId: string) {
  const db = useDb()
  const aliveSince = new Date(Date.now() - WORKER_ALIVE_WINDOW_MS)
  const workers = (await db.select().from(workerHeartbeats).orderBy(desc(workerHeartbeats.lastSeenAt)))
    .map(worker => ({ ...worker, alive: worker.lastSeenAt > aliveSince }))
  const [queued] = await db.select({ queuedRuns: count(), oldestQueuedAt: min(runs.queuedAt) }).from(runs).where(eq(runs.status, 'queued'))
  const [running] = await db.select({ runningRuns: count() }).from(runs).where(eq(runs.status, 'running'))
  const storage = await db.select({ storage: results.storage, results: count(), bytes: sum(results.byteCount).mapWith(Number) })
    .from(results).groupBy(results.storage)
  return {
    workers,
    workersAlive: workers.filter(worker => worker.alive).length,
    queuedRuns: queued!.queuedRuns,
    oldestQueuedAt: queued!.oldestQueuedAt,
    runningRuns: running!.runningRuns,
    resultStorage: storage,
    scheduler: await schedulerStatus(orgId),
  }
}
