// Dashboard bodies: filters (typed like query parameters) and tiles on a 12-column grid.
// A tile's `bindings` map its query's parameter names to dashboard filter names, so one
// filter can drive many tiles.
import { z } from 'zod'
import { idSchema } from '../ids'

export const GRID_COLUMNS = 12

export const filterTypes = ['text', 'number', 'integer', 'boolean', 'date', 'timestamp', 'date_range', 'enum'] as const
export type FilterType = (typeof filterTypes)[number]

const identifier = z.string().trim().regex(/^[A-Za-z_]\w{0,62}$/, 'must be a name like region_id (letters, digits, _)')

export const dashboardFilter = z.object({
  name: identifier,
  label: z.string().max(200).optional(),
  type: z.enum(filterTypes),
  default: z.unknown().optional(),
  options: z.array(z.string().max(500)).max(500).optional(),
  // bounds of a number or integer filter, checked before any tile runs
  min: z.number().finite().optional(),
  max: z.number().finite().optional(),
}).refine(filter => filter.min === undefined || filter.max === undefined || filter.min <= filter.max, { message: 'min must not be above max', path: ['max'] })
export type DashboardFilter = z.infer<typeof dashboardFilter>

export const dashboardTile = z.object({
  id: z.string().trim().min(1).max(64).optional(),
  visualizationId: idSchema.optional(),
  text: z.string().max(20_000).optional(),
  x: z.number().int().min(0).max(GRID_COLUMNS - 1),
  y: z.number().int().min(0).max(1000),
  w: z.number().int().min(1).max(GRID_COLUMNS),
  h: z.number().int().min(1).max(40),
  bindings: z.record(identifier, identifier).default({}),
}).refine(tile => (tile.visualizationId === undefined) !== (tile.text === undefined), {
  message: 'a tile holds either a visualizationId or text',
  path: ['visualizationId'],
}).refine(tile => tile.x + tile.w <= GRID_COLUMNS, { message: `x + w must be at most ${GRID_COLUMNS}`, path: ['w'] })
export type DashboardTile = z.infer<typeof dashboardTile> & { id: string }

const tiles = z.array(dashboardTile).max(100)
const filters = z.array(dashboardFilter).max(30)
  .refine(list => new Set(list.map(filter => filter.name)).size === list.length, { message: 'filter names must be unique' })

function bindingsNameFilters(body: { filters?: DashboardFilter[], tiles?: z.infer<typeof tiles> }, context: z.RefinementCtx) {
  if (!body.filters || !body.tiles) return
  const names = new Set(body.filters.map(filter => filter.name))
  body.tiles.forEach((tile, index) => {
    for (const [parameter, filterName] of Object.entries(tile.bindings)) {
      if (!names.has(filterName)) context.addIssue({ code: 'custom', path: ['tiles', index, 'bindings', parameter], message: `no filter named ${filterName}` })
    }
  })
}

const name = z.string().trim().min(1, 'is required').max(200)

// the same floor as the UI's auto-refresh menu: a wall screen refreshing every second
// would cost a run per tile per second for every dashboard left open
export const MIN_REFRESH_SECONDS = 60
const refreshIntervalSeconds = z.number().int().min(0).max(86_400)
  .refine(seconds => seconds === 0 || seconds >= MIN_REFRESH_SECONDS, `must be 0 (off) or at least ${MIN_REFRESH_SECONDS} seconds`)

export const newDashboardBody = z.object({
  name,
  description: z.string().max(5000).default(''),
  filters: filters.default([]),
  tiles: tiles.default([]),
  refreshIntervalSeconds: refreshIntervalSeconds.default(0),
}).superRefine(bindingsNameFilters)

export const dashboardPatchBody = z.object({
  name: name.optional(),
  description: z.string().max(5000).optional(),
  filters: filters.optional(),
  tiles: tiles.optional(),
  refreshIntervalSeconds: refreshIntervalSeconds.optional(),
}).superRefine(bindingsNameFilters)

// Filter values arrive in the query string (`?region=North`), so they can be shared as a URL.
export const dashboardViewQuery = z.record(z.string(), z.union([z.string(), z.array(z.string())]))
