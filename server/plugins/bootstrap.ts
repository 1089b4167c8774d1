import { whenReady } from '../bootstrap'
import { logger } from '../utils/logger'

// Start-up failures (bad DATABASE_URL, a failed migration) stop the process: a server
// that cannot reach its schema must not pretend to be healthy.
export default defineNitroPlugin(() => {
  whenReady().catch((error) => {
    logger.error('start-up failed', { error: String(error?.stack ?? error) })
    process.exit(1)
  })
})
