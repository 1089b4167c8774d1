// Owns a dashboard view: loads GET /api/dashboards/:id with the filter values in the
// URL, follows the runs of every tile that is refreshing (all over one SSE connection,
// tiles on the same run sharing it) and swaps in the result when it lands. A tile whose
// refresh was still being queued when the view was served (`refreshQueued`, no run yet)
// is found by loading the view again: after REQUEUED_RELOAD_MS, doubling while views keep
// coming back without the run (a server that cannot queue it must not be asked every
// second for as long as the page is open), up to MAX_REQUEUED_RELOAD_MS.
import type { DashboardFilter } from '#shared/schemas/dashboards'
import { TILE_ROW_LIMIT, type ServedTileOf, type TileResult } from '#shared/dashboards/served'
import { isRunFinished } from '#shared/runs'
import type { RunSummary } from '../server/runs/public'
import { followRuns } from './followRuns'
import type { RunView } from './runTypes'

export type { TileResult }
export type ServedTile = ServedTileOf<RunSummary>

export interface DashboardView {
  id: string
  name: string
  description: string
  filters: DashboardFilter[]
  refreshIntervalSeconds: number
  filterValues: Record<string, unknown>
  tiles: ServedTile[]
  updatedAt: string
}


const REQUEUED_RELOAD_MS = 1000
const MAX_REQUEUED_RELOAD_MS = 30_000

export function useDashboard(dashboardId: string) {
  const dashboard = ref<DashboardView | null>(null)
  const loadError = ref<string | null>(null)
  const loading = ref(false)
  let stopFollowing = () => {}
  // views in a row that came back with a tile still refreshQueued
  let requeuedViews = 0

  async function load(filterValues: Record<string, string>) {
    loading.value = true
    try {
      const view = await $fetch<DashboardView>(`/api/dashboards/${dashboardId}`, { query: filterValues })
      stopFollowing()
      dashboard.value = view
      loadError.value = null
      // every refreshing tile's run over one connection (tiles may share a run)
      const refreshing = view.tiles.flatMap(tile => tile.run && !isRunFinished(tile.run.status) ? [tile.run.id] : [])
      const stopRuns = followRuns([...new Set(refreshing)], run => void onRunChange(run))
      requeuedViews = view.tiles.some(tile => tile.refreshQueued) ? requeuedViews + 1 : 0
      const reload = requeuedViews > 0 ? setTimeout(() => void load(filterValues), Math.min(REQUEUED_RELOAD_MS * 2 ** (requeuedViews - 1), MAX_REQUEUED_RELOAD_MS)) : undefined
      stopFollowing = () => {
        stopRuns()
        clearTimeout(reload)
      }
    }
    catch (error) {
      loadError.value = apiErrorMessage(error)
    }
    finally {
      loading.value = false
    }
  }

  async function onRunChange(run: RunView) {
    let result: TileResult | null = null
    if (run.status === 'succeeded') {
      try {
        const page = await $fetch<Omit<TileResult, 'runId' | 'finishedAt'>>(`/api/runs/${run.id}/result`, { query: { offset: 0, limit: TILE_ROW_LIMIT } })
        result = { ...page, runId: run.id, finishedAt: run.finishedAt }
      }
      catch (error) {
        run = { ...run, status: 'failed', error: apiErrorMessage(error) }
      }
    }
    for (const tile of dashboard.value?.tiles ?? []) {
      if (tile.run?.id !== run.id) continue
      tile.run = { id: run.id, status: run.status, queuedAt: run.queuedAt, startedAt: run.startedAt, finishedAt: run.finishedAt, rowCount: run.rowCount, truncated: run.truncated, error: run.error }
      if (result) {
        tile.result = result
        tile.error = null
      }
      else if (isRunFinished(run.status)) tile.error = run.error ?? `The run ended ${run.status}`
    }
  }

  async function refreshNow(filterValues: Record<string, string>) {
    await $fetch(`/api/dashboards/${dashboardId}/refresh`, { method: 'POST', query: filterValues })
    await load(filterValues)
  }

  onBeforeUnmount(() => stopFollowing())
  return { dashboard, loadError, loading, load, refreshNow }
}
