// Run status changes, published with pg_notify so every process (the web's SSE streams,
// other workers) hears them whichever worker ran the run. Payloads stay small (a NOTIFY
// carries at most 8000 bytes): long error texts are cut; the run row has the full text.
import { sql } from 'drizzle-orm'
import type { RunStatus } from '#shared/runs'
import { useDb } from '../utils/db'
import { logger } from '../utils/logger'
import { listen } from './notifications'

export const RUN_EVENTS_CHANNEL = 'tessera_run_events'

export interface RunEventPayload {
  status: RunStatus
  rowCount?: number
  truncated?: boolean
  error?: string
}

export interface RunEvent extends RunEventPayload {
  runId: string
}

export async function publishRunEvent(runId: string, payload: RunEventPayload): Promise<void> {
  const event: RunEvent = { runId, ...payload, ...(payload.error ? { error: payload.error.slice(0, 1000) } : {}) }
  try {
    await useDb().execute(sql`SELECT pg_notify(${RUN_EVENTS_CHANNEL}, ${JSON.stringify(event)})`)
  }
  catch (error) {
    // an event lost is a progress bar that lags; the run row stays the truth
    logger.warn('run event not published', { runId, error: String(error) })
  }
}

const listeners = new Map<string, Set<(event: RunEvent) => void>>()
let unlisten: Promise<() => void> | undefined

function dispatch(payload: string): void {
  let event: RunEvent
  try {
    event = JSON.parse(payload) as RunEvent
  }
  catch {
    return
  }
  for (const listener of listeners.get(event.runId) ?? []) listener(event)
}

/** Calls listener with each event of this run until the returned function is called. */
export function subscribeToRun(runId: string, listener: (event: RunEvent) => void): () => void {
  unlisten ??= listen(RUN_EVENTS_CHANNEL, dispatch)
  let runListeners = listeners.get(runId)
  if (!runListeners) {
    runListeners = new Set()
    listeners.set(runId, runListeners)
  }
  runListeners.add(listener)
  return () => {
    runListeners.delete(listener)
    if (runListeners.size === 0) listeners.delete(runId)
  }
}

/** Resolves once this process is LISTENing for run events (so a subscriber misses nothing published after). */
export async function runEventsReady(): Promise<void> {
  unlisten ??= listen(RUN_EVENTS_CHANNEL, dispatch)
  await unlisten
}
