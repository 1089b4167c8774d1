// The worker role: the same build as the web, started with APP_ROLE=worker. It works
// the queues each domain registers and stops gracefully on SIGTERM (Nitro's shutdown
// calls the close hook; pg-boss then lets running jobs finish within its timeout).
import { whenReady } from '../bootstrap'
import { stopBoss, useBoss } from '../queue/boss'
import { startWorkers } from '../queue/workers'
import { startWorkerHeartbeat } from '../status/worker-heartbeat'
import { closeDb } from '../utils/db'
import { logger } from '../utils/logger'

export default defineNitroPlugin((nitroApp) => {
  if (useConfig().APP_ROLE !== 'worker') return
  let stopHeartbeat = async () => {}
  whenReady()
    .then(async () => {
      await startWorkers(await useBoss())
      stopHeartbeat = startWorkerHeartbeat()
      logger.info('worker ready', { pid: process.pid })
    })
    .catch((error) => {
      logger.error('worker failed to start', { error: String(error?.stack ?? error) })
      process.exit(1)
    })
  nitroApp.hooks.hook('close', async () => {
    logger.info('worker stopping', { pid: process.pid })
    await stopBoss()
    await stopHeartbeat()
    await closeDb()
  })
})
