// One tile of a dashboard as GET /api/dashboards/:id serves it, written once for the
// server that builds it and the pages that show it. `Run` is the run summary: Dates on
// the server, ISO strings once serialized for the browser.
import type { DashboardTile } from '../schemas/dashboards'

// the rows a tile (or a visualization's preview) gets: charts need the rows, not a page
// of them; bounded so a huge result cannot bloat a view
export const TILE_ROW_LIMIT = 5000

export interface TileResult {
  runId: string
  finishedAt: string | null
  columns: { name: string, type: string }[]
  rows: unknown[][]
  rowCount: number
  truncated: boolean
}

export interface ServedTileOf<Run> extends DashboardTile {
  visualization: { id: string, name: string, type: string, config: Record<string, unknown>, queryId: string, queryName: string } | null
  params: Record<string, unknown>
  // the tile's query reads a datasource hidden from the viewer: only its place on the grid
  // is served, never its visualization, parameters, data, SQL, columns or errors
  noAccess: boolean
  // the run that answers (or is refreshing) this tile
  run: Run | null
  // a refresh of this tile is being queued and its run is not known yet (the server did not
  // wait for it): `result` is the last good one, and reading the view again finds the run
  refreshQueued: boolean
  // the newest succeeded result for the tile: fresh, or stale while `run` refreshes it
  result: TileResult | null
  error: string | null
}
