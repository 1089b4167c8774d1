// The result a visualization editor previews: runs the query with its defaults (the
// engine answers from cache when fresh) and loads the first page when the run ends.
import type { RunSnapshot } from './useRunStatus'
import { followRun } from './useRunStatus'
import type { TileResult } from './useDashboard'

export function useQueryResult(queryId: string) {
  const result = ref<TileResult | null>(null)
  const run = ref<RunSnapshot | null>(null)
  const error = ref<string | null>(null)
  let stop: (() => void) | undefined

  async function loadResult(snapshot: RunSnapshot) {
    run.value = snapshot
    if (snapshot.status === 'succeeded') {
      const page = await $fetch<Omit<TileResult, 'runId' | 'finishedAt'>>(`/api/runs/${snapshot.id}/result`, { query: { offset: 0, limit: 5000 } })
      result.value = { ...page, runId: snapshot.id, finishedAt: snapshot.finishedAt }
    }
    else if (snapshot.error) error.value = snapshot.error
  }

  async function start() {
    error.value = null
    try {
      const created = await $fetch<RunSnapshot>(`/api/queries/${queryId}/runs`, { method: 'POST', body: {} })
      stop?.()
      stop = followRun(created.id, snapshot => void loadResult(snapshot))
    }
    catch (failure) {
      error.value = apiErrorMessage(failure)
    }
  }

  onBeforeUnmount(() => stop?.())
  return { result, run, error, start }
}
