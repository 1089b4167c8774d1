// pg-boss emits an `error` for every failed poll or maintenance step: while the database is
// down that is several a second per worker. They are logged once per state change: the
// first error (with its real message), a different message, and the recovery (the first
// quiet period after errors, with how many were not repeated).
import { logger } from '../utils/logger'

// no error for this long after one counts as recovered
const QUIET_MS = 10_000

let failing: { message: string, repeats: number } | undefined
let quietTimer: NodeJS.Timeout | undefined

export function errorMessageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name
  if (error && typeof error === 'object') {
    const { message, code } = error as { message?: unknown, code?: unknown }
    if (typeof message === 'string' && message) return message
    if (typeof code === 'string') return code
    try {
      return JSON.stringify(error)
    }
    catch { /* circular */ }
  }
  return String(error)
}

export function reportQueueError(error: unknown): void {
  const message = errorMessageOf(error)
  if (failing?.message === message) failing.repeats++
  else {
    logger.error('queue error', { error: message, ...(failing ? { previousRepeats: failing.repeats } : {}) })
    failing = { message, repeats: 0 }
  }
  clearTimeout(quietTimer)
  quietTimer = setTimeout(() => {
    logger.info('queue recovered', { lastError: failing?.message, repeats: failing?.repeats })
    failing = undefined
  }, QUIET_MS)
  quietTimer.unref()
}
