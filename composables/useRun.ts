// useRun owns one run's live state: it loads the run, subscribes to its server-sent
// events (/api/runs/:id/events) until it ends, and ticks the elapsed time meanwhile.
// A slow poll backs the stream up, so a dropped connection never leaves a stale status.
import { isRunFinished } from '#shared/runs'
import type { RunView } from './runTypes'

export function useRun(runId: Ref<string | undefined>) {
  const run = ref<RunView>()
  const rowsSoFar = ref(0)
  const now = ref(Date.now())
  let events: EventSource | undefined
  let ticker: ReturnType<typeof setInterval> | undefined
  let poller: ReturnType<typeof setInterval> | undefined

  const finished = computed(() => !!run.value && isRunFinished(run.value.status))
  const elapsedMs = computed(() => {
    if (!run.value) return 0
    const start = Date.parse(run.value.startedAt ?? run.value.queuedAt)
    const end = run.value.finishedAt ? Date.parse(run.value.finishedAt) : now.value
    return Math.max(0, end - start)
  })

  function stop() {
    events?.close()
    events = undefined
    clearInterval(ticker)
    clearInterval(poller)
  }

  async function reload(id: string) {
    const loaded = await $fetch<RunView>(`/api/runs/${id}`)
    if (runId.value !== id) return
    run.value = loaded
    if (loaded.rowCount != null) rowsSoFar.value = loaded.rowCount
    if (isRunFinished(loaded.status)) stop()
  }

  function onEvent(message: MessageEvent, id: string) {
    try {
      const event = JSON.parse(message.data) as { status?: RunView['status'], rowCount?: number }
      if (typeof event.rowCount === 'number') rowsSoFar.value = event.rowCount
      if (event.status && run.value && run.value.status !== event.status) {
        run.value = { ...run.value, status: event.status }
      }
      // the final numbers (timings, byte count, error position) live on the run row
      if (event.status && isRunFinished(event.status)) void reload(id)
    }
    catch { /* a keep-alive or a non-JSON event carries nothing for us */ }
  }

  watch(runId, async (id) => {
    stop()
    run.value = undefined
    rowsSoFar.value = 0
    if (!id) return
    await reload(id).catch(() => undefined)
    if (finished.value || runId.value !== id) return
    events = new EventSource(`/api/runs/${id}/events`)
    for (const name of ['message', 'status', 'progress', 'run']) {
      events.addEventListener(name, message => onEvent(message as MessageEvent, id))
    }
    ticker = setInterval(() => { now.value = Date.now() }, 200)
    poller = setInterval(() => { void reload(id).catch(() => undefined) }, 2000)
  }, { immediate: true })

  onScopeDispose(stop)

  return { run, rowsSoFar, elapsedMs, finished }
}
