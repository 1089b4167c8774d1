// server/worker owns everything only a worker process runs: the run worker (run-worker.ts)
// executing user SQL (execute-run.ts) under a datasource's slots (datasource-slots.ts),
// the runs' heartbeat (run-heartbeat.ts), the reaper that ends a dead worker's backends
// before retrying its runs (run-reaper.ts), each run's own deadline (run-deadline.ts) and
// the graceful drain on SIGTERM (run-shutdown.ts), the scheduler's ticks and firings
// (scheduler.ts), the retention cron (retention.ts) and the worker's own presence row
// (presence.ts), all under one worker id (worker-id.ts). The web never imports this
// folder. See docs/ARCHITECTURE.md.
import { assertSecretKeyDecryptsPasswords } from '../datasources/secret-key-check'
import { stopBoss, useBoss } from '../queue/boss'
import { closeNotifications } from '../runs/notifications'
import { startWorkerPresence } from './presence'
import { registerResultRetention } from './retention'
import { registerRunWorker } from './run-worker'
import { registerScheduleWorker } from './scheduler'

/** Starts every worker duty; the returned function stops them all, letting running jobs finish. */
export async function startWorker(): Promise<() => Promise<void>> {
  // a key that cannot decrypt the datasource passwords would fail every run: refuse to start
  await assertSecretKeyDecryptsPasswords()
  const boss = await useBoss()
  const stopRunWorker = await registerRunWorker(boss)
  await registerResultRetention(boss)
  const stopScheduler = await registerScheduleWorker(boss)
  const stopPresence = startWorkerPresence()
  return async () => {
    stopScheduler()
    // runs finish within the shutdown grace or go back to the queue, before the queue stops
    await stopRunWorker()
    await stopBoss()
    await closeNotifications()
    await stopPresence()
  }
}
