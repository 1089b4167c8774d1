// Writes dashboards whole: every tile's visualization must belong to the org, and each
// tile gets a stable id the page keys on.
import { and, eq, inArray } from 'drizzle-orm'
import { dashboards, visualizations } from '../../db/schema'
import type { DashboardFilter, DashboardTile } from '#shared/schemas/dashboards'
import { useDb } from '../utils/db'
import { findInOrg } from '../utils/org-objects'
import { badRequest } from '../utils/validate'

type TileInput = Omit<DashboardTile, 'id'> & { id?: string }

export async function checkTileVisualizations(orgId: string, tiles: TileInput[]): Promise<DashboardTile[]> {
  const ids = [...new Set(tiles.flatMap(tile => tile.visualizationId ? [tile.visualizationId] : []))]
  if (ids.length > 0) {
    const found = await useDb().select({ id: visualizations.id }).from(visualizations)
      .where(and(eq(visualizations.orgId, orgId), inArray(visualizations.id, ids)))
    const known = new Set(found.map(row => row.id))
    const issues = tiles.flatMap((tile, index) => tile.visualizationId && !known.has(tile.visualizationId)
      ? [{ path: `tiles.${index}.visualizationId`, message: 'no such visualization in this org' }]
      : [])
    if (issues.length > 0) badRequest('Invalid request body: unknown visualization', issues)
  }
  return tiles.map(tile => ({ ...tile, id: tile.id ?? crypto.randomUUID() }))
}

export async function updateDashboard(orgId: string, id: string, patch: {
  name?: string
  description?: string
  filters?: DashboardFilter[]
  tiles?: TileInput[]
  refreshIntervalSeconds?: number
}) {
  const db = useDb()
  const current = await findInOrg('dashboard', orgId, id)
  const filters = patch.filters ?? current.filters
  const tiles = patch.tiles ? await checkTileVisualizations(orgId, patch.tiles) : current.tiles
  // a filter removed while tiles stay bound to it would silently unbind them
  const names = new Set(filters.map(filter => filter.name))
  const issues = tiles.flatMap((tile, index) => Object.entries(tile.bindings)
    .filter(([, filterName]) => !names.has(filterName))
    .map(([parameter, filterName]) => ({ path: `tiles.${index}.bindings.${parameter}`, message: `no filter named ${filterName}` })))
  if (issues.length > 0) badRequest('Invalid request body: tile bound to a missing filter', issues)
  const [updated] = await db.update(dashboards).set({ ...patch, filters, tiles, updatedAt: new Date() })
    .where(and(eq(dashboards.orgId, orgId), eq(dashboards.id, id)))
    .returning()
  return updated!
}
