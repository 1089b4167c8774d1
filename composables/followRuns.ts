// The browser's one way to follow runs until they end: ONE server-sent events connection
// for all of them (GET /api/runs/events?ids=…; a dashboard refreshing twenty tiles must
// not open twenty streams when browsers allow about six per host). Each status message
// names its run; the full run comes first and when it ends, progress (status, rowCount)
// in between, merged here so `onChange` always gets a whole run. Only when SSE is
// unavailable or the stream drops with runs still going does it read those runs every
// POLL_MS instead.
import { isRunFinished } from '#shared/runs'
import type { RunView } from './runTypes'

const POLL_MS = 2000

export function followRuns(ids: readonly string[], onChange: (run: RunView) => void): () => void {
  const latest = new Map<string, RunView>()
  const going = new Set(ids)
  let stopped = false
  let source: EventSource | undefined
  let pollTimer: ReturnType<typeof setTimeout> | undefined

  function update(run: RunView) {
    if (stopped || !going.has(run.id)) return
    latest.set(run.id, run)
    if (isRunFinished(run.status)) going.delete(run.id)
    onChange(run)
    if (going.size === 0) stop()
  }

  function onMessage(message: MessageEvent) {
    let data: Partial<RunView> & { id?: string }
    try {
      data = JSON.parse(message.data)
    }
    catch {
      return // a keep-alive carries nothing for us
    }
    if (!data.id) return
    const known = latest.get(data.id)
    // the first message of each run is the full run; progress merges into it
    if (known || 'queuedAt' in data) update({ ...known, ...data } as RunView)
  }

  async function pollOnce() {
    await Promise.all([...going].map(id => $fetch<RunView>(`/api/runs/${id}`).then(update, () => undefined)))
  }

  function poll() {
    if (stopped || pollTimer) return
    pollTimer = setTimeout(async () => {
      pollTimer = undefined
      await pollOnce()
      poll()
    }, POLL_MS)
  }

  function stop() {
    stopped = true
    source?.close()
    clearTimeout(pollTimer)
  }

  if (going.size === 0) return stop
  if (typeof EventSource === 'undefined') {
    void pollOnce()
    poll()
  }
  else {
    source = new EventSource(`/api/runs/events?ids=${[...going].join(',')}`)
    source.addEventListener('status', message => onMessage(message as MessageEvent))
    source.onerror = () => {
      // the server ends the stream when every run has; otherwise it dropped: fall back
      source?.close()
      if (stopped) return
      void pollOnce()
      poll()
    }
  }
  return stop
}
