// The scheduler in a worker process: every tick it claims due schedules in batches until
// none are left (any number of workers may tick at once; SKIP LOCKED splits the rows and
// UNIQUE(schedule, slot) forbids a second firing), then settles finished firings. The
// fire queue turns claimed firings into runs on whichever worker is free.
import type { PgBoss } from 'pg-boss'
import { useConfig } from '../config'
import { logger } from '../utils/logger'
import { SCHEDULE_FIRE_QUEUE, type ScheduleFireJobData } from '../queue/queues'
import { claimDueSchedules } from '../schedules/claim'
import { fireFirings } from '../schedules/fire'
import { settleFinishedFirings } from '../schedules/settle'

const FIRE_JOBS_PER_FETCH = 4

/** One scheduler pass at `now`: claim everything due, then settle finished firings. */
export async function schedulerTick(boss: PgBoss, now = new Date()): Promise<{ fired: number, skipped: number, settled: number }> {
  const batch = useConfig().TESSERA_SCHEDULER_BATCH
  let fired = 0
  let skipped = 0
  for (;;) {
    const result = await claimDueSchedules(boss, now, batch)
    fired += result.fired.length
    skipped += result.skipped
    if (result.claimed < batch) break
  }
  const settled = await settleFinishedFirings(now)
  return { fired, skipped, settled }
}

export interface SchedulerOptions {
  /** What time it is for the scheduler; the real clock unless a caller (a test) says otherwise. */
  clock?: () => Date
  /** Milliseconds between ticks; TESSERA_SCHEDULER_TICK_SECONDS unless given. */
  tickMs?: number
}

/** Works fire jobs and ticks until the returned function is called. */
export async function registerScheduleWorker(boss: PgBoss, options: SchedulerOptions = {}): Promise<() => void> {
  const clock = options.clock ?? (() => new Date())
  await boss.work<ScheduleFireJobData>(SCHEDULE_FIRE_QUEUE, {
    localConcurrency: 2,
    // pg-boss waits out the polling interval after each fetch unless the batch came back
    // full: jobs fetched one at a time made a busy minute crawl at one job per worker per
    // second, the machine mostly idle (BENCHMARKS.md, Schedules). Fetching a few
    // and bursting while fetches are full keeps a worker firing until the minute is done.
    batchSize: FIRE_JOBS_PER_FETCH,
    burstWhenBatchFull: true,
    pollingIntervalSeconds: 1,
  }, async (jobs) => {
    // one job at a time: each holds a pool connection while its enqueues take others, so
    // parallel jobs could hold a small pool whole. A failed job fails the batch and pg-boss
    // retries it; firings already fired are no longer pending, so a retry fires only the rest.
    for (const job of jobs) await fireFirings(job.data.firingIds)
  })

  const intervalMs = options.tickMs ?? useConfig().TESSERA_SCHEDULER_TICK_SECONDS * 1000
  let ticking = false
  const timer = setInterval(async () => {
    if (ticking) return
    ticking = true
    try {
      const { fired, skipped } = await schedulerTick(boss, clock())
      if (fired || skipped) logger.info('schedules fired', { fired, skipped })
    }
    catch (error) {
      logger.error('scheduler tick failed', { error: String((error as Error)?.stack ?? error) })
    }
    finally {
      ticking = false
    }
  }, intervalMs)
  timer.unref()
  return () => clearInterval(timer)
}
