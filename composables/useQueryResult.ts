// The result a visualization editor previews: runs the query with its defaults (the
// engine answers from cache when fresh) and loads the first page when the run ends.
import { TILE_ROW_LIMIT } from '#shared/dashboards/served'
import { followRuns } from './followRuns'
import type { RunView } from './runTypes'
import type { TileResult } from './useDashboard'

export function useQueryResult(queryId: string) {
  const result = ref<TileResult | null>(null)
  const run = ref<RunView | null>(null)
  const error = ref<string | null>(null)
  let stop: (() => void) | undefined

  async function loadResult(snapshot: RunView) {
    run.value = snapshot
    if (snapshot.status === 'succeeded') {
      const page = await $fetch<Omit<TileResult, 'runId' | 'finishedAt'>>(`/api/runs/${snapshot.id}/result`, { query: { offset: 0, limit: TILE_ROW_LIMIT } })
      result.value = { ...page, runId: snapshot.id, finishedAt: snapshot.finishedAt }
    }
    else if (snapshot.error) error.value = snapshot.error
  }

  async function start() {
    error.value = null
    try {
      const created = await $fetch<RunView>(`/api/queries/${queryId}/runs`, { method: 'POST', body: {} })
      stop?.()
      stop = followRuns([created.id], snapshot => void loadResult(snapshot))
    }
    catch (failure) {
      error.value = apiErrorMessage(failure)
    }
  }

  onBeforeUnmount(() => stop?.())
  return { result, run, error, start }
}
