// The worker's own deadline for a run: its timeout plus TESSERA_RUN_DEADLINE_GRACE_MS of
// wall-clock time from the moment it started. statement_timeout normally ends a run first;
// the deadline holds when the datasource does not (a frozen backend, a lost network): the
// connector then cancels and terminates the backend and drops the connection, and the
// run is recorded as timed_out.
import { useConfig } from '../config'

export interface RunDeadline {
  signal: AbortSignal
  // true once the deadline fired
  readonly reached: boolean
  stop(): void
}

export function startRunDeadline(timeoutMs: number, onReached: () => void): RunDeadline {
  const controller = new AbortController()
  const timer = setTimeout(() => {
    controller.abort(new Error('run deadline reached'))
    onReached()
  }, timeoutMs + useConfig().TESSERA_RUN_DEADLINE_GRACE_MS)
  timer.unref()
  return {
    signal: controller.signal,
    get reached() { return controller.signal.aborted },
    stop: () => clearTimeout(timer),
  }
}

export function deadlineMessage(timeoutMs: number): string {
  return `The query ran past its ${timeoutMs} ms timeout and was stopped by the worker (the datasource did not stop it).`
}
