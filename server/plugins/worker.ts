// The worker role: the same build as the web, started with APP_ROLE=worker. It starts
// server/worker and stops it gracefully on SIGTERM (Nitro's shutdown calls the close hook).
import { logger } from '../utils/logger'
import { workerLifecycle } from '../worker/lifecycle'

export default defineNitroPlugin((nitroApp) => {
  if (useConfig().APP_ROLE !== 'worker') return
  // Nitro force-exits when the close hook outlasts NITRO_SHUTDOWN_TIMEOUT (30 s by default),
  // which would cut the run drain short and leave runs `running`: allow the grace plus the hand-back
  process.env.NITRO_SHUTDOWN_TIMEOUT ??= String((useConfig().TESSERA_SHUTDOWN_GRACE_SECONDS ?? useConfig().TESSERA_SHUTDOWN_GRACE_MAX_SECONDS) * 1000 + 45_000)
  const worker = workerLifecycle()
  worker.start()
    .catch((error) => {
      logger.error('worker failed to start', { error: error instanceof Error ? error.message : String(error), stack: (error as Error)?.stack })
      process.exit(1)
    })
  nitroApp.hooks.hook('close', () => worker.stop())
})
