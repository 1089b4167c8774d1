// Registers the run worker: pg-boss delivers run jobs (woken by NOTIFY), at most
// TESSERA_WORKER_CONCURRENCY at once in this process; cancel requests are heard on the
// process's LISTEN connection; the reaper (run-reaper.ts) looks for runs whose worker
// died. Stopping is graceful: take no more runs, let the held ones finish within the
// shutdown grace or hand them back to the queue (run-shutdown.ts).
import type { PgBoss } from 'pg-boss'
import { useConfig } from '../config'
import { RUN_CANCEL_CHANNEL } from '../runs/cancel'
import { listen } from '../runs/notifications'
import { logger } from '../utils/logger'
import { activeRunIds, cancelActiveRun, processRun, type RunOutcome } from './execute-run'
import { startReaper } from './run-reaper'
import { drainRuns } from './run-shutdown'
import { RUN_QUEUE, type RunJobData } from '../queue/queues'

// a run whose datasource is at its cap comes back this much later (no busy loop)
const NO_SLOT_DELAY_MS = 500

/**
 * Works run jobs until stopped. The returned function stops taking runs, lets the running
 * ones finish within the shutdown grace, hands the rest back, then stops the reaper and the
 * cancel listener.
 */
export async function registerRunWorker(boss: PgBoss): Promise<() => Promise<void>> {
  // every worker hears every cancel request; only the one holding the run acts on it
  const stopListening = await listen(RUN_CANCEL_CHANNEL, cancelActiveRun)
  const reaper = startReaper(boss)
  // One pg-boss worker per slot, each told to fetch again as soon as its run finished:
  // pg-boss otherwise waits out the polling interval after every job that was not woken
  // by a NOTIFY, so a backlog drained at one run per slot per second.
  for (let slot = 0; slot < useConfig().TESSERA_WORKER_CONCURRENCY; slot++) {
    // assigned once work() resolves; a job finished before that just waits for the poll
    let workerIdOfSlot = ''
    workerIdOfSlot = await boss.work<RunJobData>(RUN_QUEUE, {
      batchSize: 1,
      // NOTIFY wakes workers for new runs; runs handed back for a slot are found by this poll
      notifyPollingIntervalSeconds: 1,
      pollingIntervalSeconds: 1,
    }, async ([job]) => {
      if (!job) return
      const outcome = await workOneRun(boss, job.data.runId)
      // a run handed back for a slot waits for the poll instead, so a capped datasource's
      // queue is not cycled through in a hot loop
      if (outcome === 'finished') boss.notifyWorker(workerIdOfSlot)
    })
  }
  return async () => {
    reaper.stop()
    await boss.offWork(RUN_QUEUE, { wait: false })
    // cancels must still be heard while runs drain
    await drainRuns(activeRunIds, cancelActiveRun)
    stopListening()
  }
}

async function workOneRun(boss: PgBoss, runId: string): Promise<RunOutcome | 'error'> {
  try {
    const outcome = await processRun(runId)
    if (outcome === 'no-slot') {
      // a fresh job, so waiting for a slot never uses up attempts
      await boss.send(RUN_QUEUE, { runId }, { startAfter: new Date(Date.now() + NO_SLOT_DELAY_MS) })
    }
    return outcome
  }
  catch (error) {
    // the run row could not be updated (metadata database trouble): the reaper will
    // retry or fail it once its heartbeat is stale
    logger.error('run job failed', { runId, error: String((error as Error)?.stack ?? error) })
    return 'error'
  }
}
