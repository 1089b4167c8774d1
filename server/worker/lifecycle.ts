// Starting and stopping a worker process, the same from both entries that can be one
// (server/worker/main.ts, the lean entry; server/plugins/worker.ts, the web build with
// APP_ROLE=worker): wait for start-up (migrations), start every duty, and on stop end
// them (runs drain or go back to the queue) before the metadata pool closes.
import { whenReady } from '../bootstrap'
import { stopBoss } from '../queue/boss'
import { closeDb } from '../utils/db'
import { logger } from '../utils/logger'
import { startWorker } from '.'

export interface WorkerLifecycle {
  start: () => Promise<void>
  stop: (signal?: string) => Promise<void>
}

export function workerLifecycle(): WorkerLifecycle {
  // until the worker has started, stopping means stopping the queue client
  let stopDuties: () => Promise<void> = stopBoss
  return {
    async start() {
      await whenReady()
      stopDuties = await startWorker()
      logger.info('worker ready', { pid: process.pid })
    },
    async stop(signal) {
      logger.info('worker stopping', { pid: process.pid, signal })
      await stopDuties()
      await closeDb()
    },
  }
}
