// Owns a dashboard view: loads GET /api/dashboards/:id with the filter values in the
// URL, follows the run of every tile that is refreshing (one SSE subscription per run,
// shared by tiles on the same run) and swaps in the result when it lands.
import type { DashboardFilter } from '#shared/schemas/dashboards'
import type { ServedTileOf, TileResult } from '#shared/dashboards/served'
import { isRunFinished } from '#shared/runs'
import type { RunSnapshot } from './useRunStatus'
import { followRun } from './useRunStatus'

export type { TileResult }
export type ServedTile = ServedTileOf<RunSnapshot>

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

const TILE_ROW_LIMIT = 5000

export function useDashboard(dashboardId: string) {
  const dashboard = ref<DashboardView | null>(null)
  const loadError = ref<string | null>(null)
  const loading = ref(false)
  const followers = new Map<string, () => void>()

  function stopFollowing() {
    for (const stop of followers.values()) stop()
    followers.clear()
  }

  async function load(filterValues: Record<string, string>) {
    loading.value = true
    try {
      const view = await $fetch<DashboardView>(`/api/dashboards/${dashboardId}`, { query: filterValues })
      stopFollowing()
      dashboard.value = view
      loadError.value = null
      for (const tile of view.tiles) {
        if (tile.run && !isRunFinished(tile.run.status)) follow(tile.run.id)
      }
    }
    catch (error) {
      loadError.value = apiErrorMessage(error)
    }
    finally {
      loading.value = false
    }
  }

  function follow(runId: string) {
    if (followers.has(runId)) return
    followers.set(runId, followRun(runId, run => void onRunChange(run)))
  }

  async function onRunChange(run: RunSnapshot) {
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
      tile.run = run
      if (result) {
        tile.result = result
        tile.error = null
      }
      else if (isRunFinished(run.status)) tile.error = run.error ?? `The run ended ${run.status}`
    }
    if (isRunFinished(run.status)) followers.delete(run.id)
  }

  async function refreshNow(filterValues: Record<string, string>) {
    await $fetch(`/api/dashboards/${dashboardId}/refresh`, { method: 'POST', query: filterValues })
    await load(filterValues)
  }

  onBeforeUnmount(stopFollowing)
  return { dashboard, loadError, loading, load, refreshNow }
}
