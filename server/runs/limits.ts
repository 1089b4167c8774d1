// A run's limits: the query's saved options and the caller's overrides, clamped to the
// ceilings in the configuration (docs/ARCHITECTURE.md). The clamped values are part of the cache key.
import type { RunLimits } from '../../db/schema'
import type { RunOptions } from '#shared/schemas/queries'
import { useConfig } from '../config'

export function runLimitsFor(saved: RunOptions | undefined, override?: RunOptions): RunLimits {
  const config = useConfig()
  const timeoutMs = override?.timeoutMs ?? saved?.timeoutMs ?? config.TESSERA_DEFAULT_TIMEOUT_MS
  const maxRows = override?.maxRows ?? saved?.maxRows ?? config.TESSERA_DEFAULT_MAX_ROWS
  return {
    timeoutMs: Math.min(timeoutMs, config.TESSERA_MAX_TIMEOUT_MS),
    // the default row limit is also the ceiling: raise it in the configuration, not per run
    maxRows: Math.min(maxRows, config.TESSERA_DEFAULT_MAX_ROWS),
    maxBytes: config.TESSERA_MAX_BYTES,
  }
}

/** How old a cached result may be: the caller's, else the query's, else the configured default. 0 = always run. */
export function maxAgeSecondsFor(saved: RunOptions | undefined, requested?: number): number {
  return requested ?? saved?.maxAgeSeconds ?? useConfig().TESSERA_CACHE_MAX_AGE_SECONDS
}
