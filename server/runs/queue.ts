// The run queue's name, job payload and options: the web sends, workers work.
import type { PgBoss } from 'pg-boss'
import { useConfig } from '../config'

export const RUN_QUEUE = 'run-query'

export interface RunJobData {
  runId: string
}

/**
 * Declares the run queue (idempotent). Called on start-up by every role: the web sends to
 * the queue, so it must exist before the first send. pg-boss does not retry run jobs: the
 * run row is the record of an attempt, and the heartbeat reaper (server/runs/heartbeat.ts)
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
}
