// useRun owns the editor's live run: it loads the run, follows it with followRuns (one
// SSE stream, polling only if that fails) until it ends, and ticks the elapsed time
// meanwhile. The ended run is read once more for what only GET /api/runs/:id adds (the
// error's position in the saved query's own text).
import { isRunFinished } from '#shared/runs'
import { followRuns } from './followRuns'
import type { RunView } from './runTypes'

export function useRun(runId: Ref<string | undefined>) {
  const run = ref<RunView>()
  const rowsSoFar = ref(0)
  const now = ref(Date.now())
  let stopFollowing = () => {}
  let ticker: ReturnType<typeof setInterval> | undefined

  const finished = computed(() => !!run.value && isRunFinished(run.value.status))
  const elapsedMs = computed(() => {
    if (!run.value) return 0
    const start = Date.parse(run.value.startedAt ?? run.value.queuedAt)
    const end = run.value.finishedAt ? Date.parse(run.value.finishedAt) : now.value
    return Math.max(0, end - start)
  })

  function stop() {
    stopFollowing()
    clearInterval(ticker)
  }

  async function reload(id: string) {
    const loaded = await $fetch<RunView>(`/api/runs/${id}`)
    if (runId.value !== id) return
    show(loaded)
  }

  function show(loaded: RunView) {
    run.value = loaded
    if (loaded.rowCount != null) rowsSoFar.value = loaded.rowCount
    if (isRunFinished(loaded.status)) stop()
  }

  watch(runId, async (id) => {
    stop()
    run.value = undefined
    rowsSoFar.value = 0
    if (!id) return
    await reload(id).catch(() => undefined)
    if (finished.value || runId.value !== id) return
    stopFollowing = followRuns([id], (update) => {
      if (runId.value !== id) return
      if (isRunFinished(update.status)) void reload(id).catch(() => show(update))
      else show(update)
    })
    ticker = setInterval(() => { now.value = Date.now() }, 200)
  }, { immediate: true })

  onScopeDispose(stop)

  return { run, rowsSoFar, elapsedMs, finished }
}
