// The worker role: the same build as the web, started with APP_ROLE=worker. It works
// the queues each domain registers and stops gracefully on SIGTERM: Nitro's shutdown
// calls the close hook, which lets running runs finish within the shutdown grace and hands
// the rest back to the queue (server/runs/shutdown.ts) before the queue and pool close.
import { whenReady } from '../bootstrap'
import { assertSecretKeyDecryptsPasswords } from '../datasources/secret-key-check'
import { stopBoss, useBoss } from '../queue/boss'
import { startWorkers } from '../queue/workers'
import { stopRunWorker } from '../runs/worker'
import { startWorkerHeartbeat } from '../status/worker-heartbeat'
import { closeDb } from '../utils/db'
import { logger } from '../utils/logger'

export default defineNitroPlugin((nitroApp) => {
  if (useConfig().APP_ROLE !== 'worker') return
  // Nitro force-exits when the close hook outlasts NITRO_SHUTDOWN_TIMEOUT (30 s by default),
  // which would cut the drain short and leave runs `running`: allow the grace plus the hand-back
  process.env.NITRO_SHUTDOWN_TIMEOUT ??= String((useConfig().TESSERA_SHUTDOWN_GRACE_SECONDS ?? useConfig().TESSERA_SHUTDOWN_GRACE_MAX_SECONDS) * 1000 + 45_000)
  let stopHeartbeat = async () => {}
  whenReady()
    .then(async () => {
      await assertSecretKeyDecryptsPasswords()
      await startWorkers(await useBoss())
      stopHeartbeat = startWorkerHeartbeat()
      logger.info('worker ready', { pid: process.pid })
    })
    .catch((error) => {
      logger.error('worker failed to start', { error: error instanceof Error ? error.message : String(error), stack: (error as Error)?.stack })
      process.exit(1)
    })
  nitroApp.hooks.hook('close', async () => {
    logger.info('worker stopping', { pid: process.pid })
    await stopRunWorker().catch(error => logger.error('run drain failed', { error: String(error) }))
    await stopBoss()
    await stopHeartbeat()
    await closeDb()
  })
})
