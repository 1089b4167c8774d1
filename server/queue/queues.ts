// Every pg-boss queue Tessera uses: its name, its job payload and its options. The web
// sends run jobs, workers send firing jobs and work all three. This layer knows queue
// names and payloads only, never a domain: domains import from here, not the reverse.
import type { PgBoss } from 'pg-boss'
import { useConfig } from '../config'

export const RUN_QUEUE = 'run-query'
export const SCHEDULE_FIRE_QUEUE = 'schedule-fire'
export const RETENTION_QUEUE = 'result-retention'
export const ESTIMATE_QUEUE = 'estimate'

// Estimates are short: planning only, with their own ceiling (the web waits a little longer)
export const ESTIMATE_TIMEOUT_MS = 30_000

export interface RunJobData {
  runId: string
}

// A claim transaction sends one job per batch of claimed firings, so a firing is never
// lost between claiming and enqueueing, and every worker shares the work.
export interface ScheduleFireJobData {
  firingIds: string[]
}

// An estimate of SQL compiled by the web: the worker plans it (EXPLAIN, never executed)
export interface EstimateJobData {
  orgId: string
  datasourceId: string
  sql: string
  bindValues: unknown[]
  timeoutMs: number
}

// What the worker stores as the job's output; the web turns it into its answer
export type EstimateJobOutput =
  | { ok: true, rows: number, cost: number, plan: string }
  | { ok: false, kind: 'query', message: string, position: number | null, code: string | null }
  | { ok: false, kind: 'unreachable', message: string }

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
  // never retried (the web has stopped waiting by then); bound values leave the queue soon
  await boss.createQueue(ESTIMATE_QUEUE, { notify: true, retryLimit: 0, expireInSeconds: Math.ceil(ESTIMATE_TIMEOUT_MS / 1000) + 30, deleteAfterSeconds: 60 * 60 })
}
