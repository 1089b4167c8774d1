// Owns dashboards: which run feeds each tile (tiles.ts), serving a dashboard view from
// persisted results (serve.ts) and refreshing every tile (refresh.ts, used by schedules).
// It never executes SQL: every tile refresh goes through server/runs/enqueue.ts, whose
// cache and single flight make a hundred viewers cost one run per tile.
import { and, eq, inArray } from 'drizzle-orm'
import type { dashboards} from '../../db/schema';
import { queries, visualizations } from '../../db/schema'
import type { DashboardFilter, DashboardTile } from '#shared/schemas/dashboards'
import { useDb } from '../utils/db'
import { badRequest } from '../utils/validate'
import { filterValueProblem } from '#shared/dashboards/filter-values'
import { isEmptyValue } from '#shared/parameters/values'
import { findInOrg } from '../utils/org-objects'

export type Dashboard = typeof dashboards.$inferSelect
export type FilterValues = Record<string, unknown>

export interface TileTarget {
  tile: DashboardTile
  visualization: typeof visualizations.$inferSelect | null
  queryName: string | null
  // the datasource the tile's query reads: whether a viewer may see the tile
  datasourceId: string | null
  params: Record<string, unknown>
  // identical (query, params) across tiles share one enqueue
  targetKey: string | null
}

export async function loadDashboard(orgId: string, dashboardId: string): Promise<Dashboard> {
  return findInOrg('dashboard', orgId, dashboardId)
}

// Query-string values are text; a filter's type says how to read them. Missing or empty
// values fall back to the filter's default; a filter without either stays unbound so
// the query's own parameter default applies.
export function resolveFilterValues(filters: DashboardFilter[], given: Record<string, string | string[] | undefined>): FilterValues {
  const values: FilterValues = {}
  const issues: { path: string, message: string }[] = []
  for (const filter of filters) {
    const raw = given[filter.name]
    const text = Array.isArray(raw) ? raw[0] : raw
    if (text === undefined || text === '') {
      if (filter.default !== undefined && filter.default !== null && filter.default !== '') values[filter.name] = filter.default
      continue
    }
    const problem = filterValueProblem(filter, text)
    if (problem) issues.push({ path: filter.name, message: `${filter.label || filter.name} ${problem}` })
    values[filter.name] = readFilterText(filter, text)
  }
  if (issues.length) badRequest(`Invalid filter values: ${issues.map(issue => issue.message).join('; ')}`, issues)
  return values
}

function readFilterText(filter: DashboardFilter, text: string): unknown {
  if (filter.type === 'number' || filter.type === 'integer') {
    const value = Number(text)
    return Number.isFinite(value) ? value : text
  }
  if (filter.type === 'boolean') return text === 'true' || text === '1'
  return text
}

export function defaultFilterValues(filters: DashboardFilter[]): FilterValues {
  return resolveFilterValues(filters, {})
}

export async function loadTileTargets(orgId: string, dashboard: Dashboard, values: FilterValues): Promise<TileTarget[]> {
  const visualizationIds = dashboard.tiles.flatMap(tile => tile.visualizationId ? [tile.visualizationId] : [])
  const rows = visualizationIds.length === 0
    ? []
    : await useDb().select({ visualization: visualizations, queryName: queries.name, queryVersion: queries.version, datasourceId: queries.datasourceId })
        .from(visualizations)
        .innerJoin(queries, eq(queries.id, visualizations.queryId))
        .where(and(eq(visualizations.orgId, orgId), inArray(visualizations.id, visualizationIds)))
  const byId = new Map(rows.map(row => [row.visualization.id, row]))
  return dashboard.tiles.map((tile) => {
    const found = tile.visualizationId ? byId.get(tile.visualizationId) : undefined
    if (!found) return { tile, visualization: null, queryName: null, datasourceId: null, params: {}, targetKey: null }
    const params: Record<string, unknown> = {}
    for (const [parameter, filterName] of Object.entries(tile.bindings)) {
      // an empty filter leaves the parameter out, so the query's own default applies
      if (!isEmptyValue(values[filterName])) params[parameter] = values[filterName]
    }
    return {
      tile,
      visualization: found.visualization,
      queryName: found.queryName,
      datasourceId: found.datasourceId,
      params,
      // the query's version: an edited query is a different target
      targetKey: `${found.visualization.queryId}@${found.queryVersion}:${stableJson(params)}`,
    }
  })
}

function stableJson(value: Record<string, unknown>): string {
  return JSON.stringify(Object.keys(value).sort().map(key => [key, value[key]]))
}

