// Writes dashboards whole: every tile's visualization must belong to the org and read a
// datasource the writer reaches, and each tile gets a stable id the page keys on. A tile
// the writer cannot see (served to them as "no access", without its bindings) may stay
// where it was: it keeps its stored bindings, which the writer is never shown.
import { and, eq, inArray } from 'drizzle-orm'
import { dashboards, queries, visualizations } from '../../db/schema'
import type { DashboardFilter, DashboardTile } from '#shared/schemas/dashboards'
import { canReach, type DatasourceAccess } from '../access/check'
import { useDb } from '../utils/db'
import { findInOrg } from '../utils/org-objects'
import { badRequest } from '../utils/validate'

type TileInput = Omit<DashboardTile, 'id'> & { id?: string }

/** The datasource each of these visualizations (of the org) reads. */
async function datasourcesOfVisualizations(orgId: string, tiles: TileInput[]): Promise<Map<string, string>> {
  const ids = [...new Set(tiles.flatMap(tile => tile.visualizationId ? [tile.visualizationId] : []))]
  if (ids.length === 0) return new Map()
  const rows = await useDb().select({ id: visualizations.id, datasourceId: queries.datasourceId }).from(visualizations)
    .innerJoin(queries, eq(queries.id, visualizations.queryId))
    .where(and(eq(visualizations.orgId, orgId), inArray(visualizations.id, ids)))
  return new Map(rows.map(row => [row.id, row.datasourceId]))
}

export async function checkTileVisualizations(orgId: string, tiles: TileInput[], access: DatasourceAccess, currentTiles: DashboardTile[] = []): Promise<DashboardTile[]> {
  const datasourceOf = await datasourcesOfVisualizations(orgId, tiles)
  const issues: { path: string, message: string }[] = []
  const checked = tiles.map((tile, index) => {
    const withId = { ...tile, id: tile.id ?? crypto.randomUUID() }
    if (!tile.visualizationId) return withId
    const datasourceId = datasourceOf.get(tile.visualizationId)
    if (datasourceId && canReach(access, datasourceId)) return withId
    const kept = datasourceId && currentTiles.find(current => current.id === tile.id && current.visualizationId === tile.visualizationId)
    if (kept) return { ...withId, bindings: kept.bindings }
    // hidden from the writer: as unknown as a missing one
    issues.push({ path: `tiles.${index}.visualizationId`, message: 'no such visualization in this org' })
    return withId
  })
  if (issues.length > 0) badRequest('Invalid request body: unknown visualization', issues)
  return checked
}

/** The dashboard as answered to a writer: tiles they cannot see without their bindings, as a view serves them. */
async function asSeenBy<Row extends { orgId: string, tiles: DashboardTile[] }>(dashboard: Row, access: DatasourceAccess): Promise<Row> {
  if (access.all) return dashboard
  const datasourceOf = await datasourcesOfVisualizations(dashboard.orgId, dashboard.tiles)
  const hidden = (tile: DashboardTile) => {
    const datasourceId = tile.visualizationId && datasourceOf.get(tile.visualizationId)
    return !!datasourceId && !canReach(access, datasourceId)
  }
  return { ...dashboard, tiles: dashboard.tiles.map(tile => hidden(tile) ? { ...tile, bindings: {} } : tile) }
}

export async function updateDashboard(orgId: string, id: string, access: DatasourceAccess, patch: {
  name?: string
  description?: string
  filters?: DashboardFilter[]
  tiles?: TileInput[]
  refreshIntervalSeconds?: number
}) {
  const db = useDb()
  const current = await findInOrg('dashboard', orgId, id)
  const filters = patch.filters ?? current.filters
  const tiles = patch.tiles ? await checkTileVisualizations(orgId, patch.tiles, access, current.tiles) : current.tiles
  // a filter removed while tiles stay bound to it would silently unbind them
  const names = new Set(filters.map(filter => filter.name))
  const issues = tiles.flatMap((tile, index) => Object.entries(tile.bindings)
    .filter(([, filterName]) => !names.has(filterName))
    .map(([parameter, filterName]) => ({ path: `tiles.${index}.bindings.${parameter}`, message: `no filter named ${filterName}` })))
  if (issues.length > 0) badRequest('Invalid request body: tile bound to a missing filter', issues)
  const [updated] = await db.update(dashboards).set({ ...patch, filters, tiles, updatedAt: new Date() })
    .where(and(eq(dashboards.orgId, orgId), eq(dashboards.id, id)))
    .returning()
  return asSeenBy(updated!, access)
}
