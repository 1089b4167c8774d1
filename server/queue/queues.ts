// Every pg-boss queue Tessera uses: its name, its job payload and its options. The web
// sends run jobs, workers send firing jobs and work all three. This layer knows queue
// names and payloads only, never a domain: domains import from here, not the reverse.
import type { PgBoss } from 'pg-boss'
import { useConfig } from '../config'

export const RUN_QUEUE = 'run-query'
export const SCHEDULE_FIRE_QUEUE = 'schedule-fire'
export const RETENTION_QUEUE = 'result-retention'

export interface RunJobData {
  runId: string
}

// A claim transaction sends one job per batch of claimed firings, so a firing is never
// lost between claiming and enqueueing, and every worker shares the work.
export interface ScheduleFireJobData {
  firingIds: string[]
}

/**
 * Declares every queue (idempotent). Called on start-up by every role: the web sends to
 * the run queue, so it must exist before the first send. pg-boss does not retry run jobs:
 * the run row is the record of an attempt, and the run reaper (server/worker/run-heartbeat.ts)
 * decides whether a run whose worker died is retried.
 */
export async function ensureQueues(boss: PgBoss): Promise<void> {
  await boss.createQueue(RUN_QUEUE, {
    // wake a waiting worker the moment a run is sent instead of at its next poll
    notify: true,
    retryLimit: 0,
    // the longest a run may take, plus time to store its result
    expireInSeconds: Math.ceil(useConfig().TESSERA_MAX_TIMEOUT_MS / 1000) + 15 * 60,
    deleteAfterSeconds: 24 * 60 * 60,
  })
  await boss.createQueue(SCHEDULE_FIRE_QUEUE)
  await boss.createQueue(RETENTION_QUEUE, { retryLimit: 1, expireInSeconds: 15 * 60 })
}
