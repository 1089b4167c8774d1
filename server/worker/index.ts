// server/worker owns everything only a worker process runs: the run worker (run-worker.ts)
// executing user SQL (execute-run.ts) under a datasource's slots (datasource-slots.ts),
// the runs' heartbeat and reaper (run-heartbeat.ts), the scheduler's ticks and firings
// (scheduler.ts), the retention cron (retention.ts) and the worker's own presence row
// (presence.ts), all under one worker id (worker-id.ts). The web never imports this
// folder. See docs/ARCHITECTURE.md.
import { stopBoss, useBoss } from '../queue/boss'
import { closeNotifications } from '../runs/notifications'
import { startWorkerPresence } from './presence'
import { registerResultRetention } from './retention'
import { registerRunWorker } from './run-worker'
import { registerScheduleWorker } from './scheduler'

/** Starts every worker duty; the returned function stops them all, letting running jobs finish. */
export async function startWorker(): Promise<() => Promise<void>> {
  const boss = await useBoss()
  const stopRunWorker = await registerRunWorker(boss)
  await registerResultRetention(boss)
  const stopScheduler = await registerScheduleWorker(boss)
  const stopPresence = startWorkerPresence()
  return async () => {
    stopScheduler()
    // pg-boss lets running jobs finish within its timeout; they still hear cancels meanwhile
    await stopBoss()
    stopRunWorker()
    await closeNotifications()
    await stopPresence()
  }
}
