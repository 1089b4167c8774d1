// Edit mode's working copy of a dashboard: layout, tiles, filters, name and refresh
// interval, saved whole with PATCH /api/dashboards/:id.
import type { Ref } from 'vue'
import { pushOverlapsDown } from '#shared/dashboards/layout'
import type { DashboardFilter, DashboardTile } from '#shared/schemas/dashboards'
import type { DashboardView, ServedTile } from './useDashboard'

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

// Edit mode's state and actions for a dashboard page: the draft, the visualizations it
// can add, the grid tiles (draft layout + served content), and saving.
export function useDashboardEditor(dashboardId: string, dashboard: Ref<DashboardView | null>, editing: Ref<boolean>) {
  const draft = ref<DashboardDraft | null>(null)
  const choices = ref<VisualizationChoice[]>([])
  const bindingTileId = ref<string | null>(null)
  const saveError = ref<string | null>(null)

  watch([editing, dashboard], async () => {
    if (editing.value && dashboard.value && !draft.value) {
      draft.value = draftOf(dashboard.value)
      choices.value = await $fetch<VisualizationChoice[]>('/api/visualizations')
    }
    if (!editing.value) draft.value = null
  }, { immediate: true })

  // In edit mode the grid shows the draft's layout with the served content of each tile.
  const gridTiles = computed<ServedTile[]>(() => {
    if (!dashboard.value) return []
    if (!draft.value) return dashboard.value.tiles
    const served = new Map(dashboard.value.tiles.map(tile => [tile.id, tile]))
    return draft.value.tiles.map((tile) => {
      const known = served.get(tile.id)
      const choice = choices.value.find(entry => entry.id === tile.visualizationId)
      return {
        ...tile,
        params: known?.params ?? {},
        run: known?.run ?? null,
        refreshQueued: known?.refreshQueued ?? false,
        result: known?.visualizationId === tile.visualizationId ? known?.result ?? null : null,
        error: null,
        noAccess: known?.noAccess ?? false,
        visualization: known?.visualization ?? (choice ? { id: choice.id, name: choice.name, type: choice.type, config: {}, queryId: choice.queryId, queryName: choice.queryName } : null),
      }
    })
  })

  const bindingTile = computed(() => draft.value?.tiles.find(tile => tile.id === bindingTileId.value) ?? null)
  const bindingParameters = computed(() => choices.value.find(choice => choice.id === bindingTile.value?.visualizationId)?.queryParameters ?? [])

  function moveTile(id: string, layout: { x: number, y: number, w: number, h: number }) {
    if (!draft.value) return
    const moved = draft.value.tiles.map(tile => tile.id === id ? { ...tile, ...layout } : tile)
    draft.value.tiles = pushOverlapsDown(moved, id)
  }

  function addVisualization(visualizationId: string) {
    draft.value?.tiles.push({ id: crypto.randomUUID(), visualizationId, x: 0, y: nextFreeRow(draft.value.tiles), w: 6, h: 4, bindings: {} })
  }

  function addText() {
    draft.value?.tiles.push({ id: crypto.randomUUID(), text: '## Notes', x: 0, y: nextFreeRow(draft.value.tiles), w: 4, h: 2, bindings: {} })
  }

  function removeTile(id: string) {
    if (draft.value) draft.value.tiles = draft.value.tiles.filter(tile => tile.id !== id)
  }

  function setText(id: string, text: string) {
    const tile = draft.value?.tiles.find(entry => entry.id === id)
    if (tile) tile.text = text
  }

  /** Saves the draft; true when saved (the draft is then dropped). */
  async function save(): Promise<boolean> {
    if (!draft.value) return false
    saveError.value = null
    try {
      await saveDraft(dashboardId, draft.value)
      draft.value = null
      return true
    }
    catch (error) {
      saveError.value = apiErrorMessage(error)
      return false
    }
  }

  return { draft, choices, gridTiles, bindingTileId, bindingTile, bindingParameters, saveError, moveTile, addVisualization, addText, removeTile, setText, save }
}
