// Follows one run until it ends: listens to GET /api/runs/:id/events (SSE) and, on any
// event or when the stream drops, reads GET /api/runs/:id for the truth, so it works
// whatever the event payload carries. Falls back to polling if SSE is unavailable.
// Minimal on purpose: the editor's useRun owns the query page's richer run view.
import { isRunFinished } from '#shared/runs'
import type { RunStatus } from '#shared/runs'

export interface RunSnapshot {
  id: string
  status: RunStatus
  error: string | null
  finishedAt: string | null
  startedAt: string | null
  queuedAt: string
  rowCount: number | null
  truncated: boolean
}

export function followRun(runId: string, onChange: (run: RunSnapshot) => void): () => void {
  let stopped = false
  let source: EventSource | undefined
  let pollTimer: ReturnType<typeof setTimeout> | undefined
  let checking = false

  async function check(): Promise<void> {
    if (stopped || checking) return
    checking = true
    try {
      const run = await $fetch<RunSnapshot>(`/api/runs/${runId}`)
      if (stopped) return
      onChange(run)
      if (isRunFinished(run.status)) stop()
    }
    catch {
      // a transient failure: the next event or poll tries again
    }
    finally {
      checking = false
    }
  }

  function poll() {
    if (stopped) return
    pollTimer = setTimeout(async () => {
      await check()
      poll()
    }, 2000)
  }

  function stop() {
    stopped = true
    source?.close()
    if (pollTimer) clearTimeout(pollTimer)
  }

  if (typeof EventSource === 'undefined') poll()
  else {
    source = new EventSource(`/api/runs/${runId}/events`)
    source.onmessage = () => void check()
    source.addEventListener('status', () => void check())
    source.onerror = () => {
      // the stream ends when the run does; either way, ask and keep a slow poll going
      source?.close()
      void check()
      if (!pollTimer && !stopped) poll()
    }
    // covers a run that ended between the page's GET and the subscription
    void check()
  }
  return stop
}
