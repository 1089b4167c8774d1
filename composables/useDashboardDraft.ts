// Edit mode's working copy of a dashboard: layout, tiles, filters, name and refresh
// interval, saved whole with PATCH /api/dashboards/:id.
import type { DashboardFilter, DashboardTile } from '~~/shared/schemas/dashboards'
import type { DashboardView } from './useDashboard'

// a visualization the editor can put on a tile, with its query's parameters to bind
export interface VisualizationChoice {
  id: string
  name: string
  type: string
  queryId: string
  queryName: string
  queryParameters: { name: string, label?: string }[]
}

export interface DashboardDraft {
  name: string
  refreshIntervalSeconds: number
  filters: DashboardFilter[]
  tiles: DashboardTile[]
}

export function draftOf(view: DashboardView): DashboardDraft {
  return {
    name: view.name,
    refreshIntervalSeconds: view.refreshIntervalSeconds,
    filters: structuredClone(toRaw(view.filters)),
    tiles: view.tiles.map(({ id, visualizationId, text, x, y, w, h, bindings }) => ({ id, visualizationId, text, x, y, w, h, bindings: { ...bindings } })),
  }
}

// new tiles go below everything else, full rows first
export function nextFreeRow(tiles: DashboardTile[]): number {
  return tiles.reduce((bottom, tile) => Math.max(bottom, tile.y + tile.h), 0)
}

export async function saveDraft(dashboardId: string, draft: DashboardDraft): Promise<void> {
  await $fetch(`/api/dashboards/${dashboardId}`, {
    method: 'PATCH',
    body: {
      name: draft.name,
      refreshIntervalSeconds: draft.refreshIntervalSeconds,
      filters: draft.filters,
      tiles: draft.tiles.map(({ id, visualizationId, text, x, y, w, h, bindings }) => (
        visualizationId ? { id, visualizationId, x, y, w, h, bindings } : { id, text: text ?? '', x, y, w, h, bindings: {} })),
    },
  })
}
