// The demo org's "Operations overview" dashboard: its own queries on the demo ops
// database, one visualization of each chart type, a `days` filter driving the
// time-bounded tiles, and a text tile. Part of the first-start demo seed.
import { dashboards, visualizations } from '../../db/schema'
import type { ParameterDefinition } from '#shared/parameters/types'
import type { DashboardTile } from '#shared/schemas/dashboards'
import type { VisualizationType } from '#shared/schemas/visualizations'
import { parseVisualizationConfig } from '#shared/schemas/visualizations'
import { everyDatasource } from '../access/check'
import { createQuery } from '../queries/queries'
import { useDb } from '../utils/db'

const days: ParameterDefinition[] = [{ name: 'days', type: 'integer', label: 'Last N days', required: true, default: 30 }]
// integer parameters are bound as bigint; make_interval takes int
const since = `started_at >= now() - make_interval(days => {{days}}::int)`

interface DemoTile {
  query: { name: string, sql: string, parameters?: ParameterDefinition[] }
  visualization: { name: string, type: VisualizationType, config: Record<string, unknown> }
  layout: { x: number, y: number, w: number, h: number }
}

const demoTiles: DemoTile[] = [
  {
    query: { name: 'Outages this period vs the previous one', parameters: days, sql: `SELECT
  count(*) FILTER (WHERE ${since})::int AS outages,
  count(*) FILTER (WHERE started_at >= now() - make_interval(days => 2 * {{days}}::int) AND NOT (${since}))::int AS previous
FROM ops.outages` },
    visualization: { name: 'Outages', type: 'stat', config: { value: 'outages', comparison: 'column', comparisonColumn: 'previous', higherIsBetter: false } },
    layout: { x: 0, y: 0, w: 3, h: 2 },
  },
  {
    query: { name: 'Customers affected', parameters: days, sql: `SELECT sum(customers_affected)::int8 AS customers FROM ops.outages WHERE ${since}` },
    visualization: { name: 'Customers affected', type: 'stat', config: { value: 'customers', format: { style: 'compact', decimals: 1 } } },
    layout: { x: 3, y: 0, w: 3, h: 2 },
  },
  {
    query: { name: 'Outages per day', parameters: days, sql: `SELECT date_trunc('day', started_at) AS day, count(*)::int AS outages, count(*) FILTER (WHERE planned)::int AS planned
FROM ops.outages WHERE ${since} GROUP BY 1 ORDER BY 1` },
    visualization: { name: 'Outages per day', type: 'area', config: { x: 'day', y: ['outages', 'planned'] } },
    layout: { x: 6, y: 0, w: 6, h: 4 },
  },
  {
    query: { name: 'Outages by cause', parameters: days, sql: `SELECT cause, count(*) FILTER (WHERE NOT planned)::int AS unplanned, count(*) FILTER (WHERE planned)::int AS planned
FROM ops.outages WHERE ${since} GROUP BY 1 ORDER BY 2 DESC` },
    visualization: { name: 'Outages by cause', type: 'bar', config: { x: 'cause', y: ['unplanned', 'planned'], stacked: true, horizontal: true } },
    layout: { x: 0, y: 2, w: 6, h: 4 },
  },
  {
    query: { name: 'Outages per province, last N days', parameters: days, sql: `SELECT u.province, count(*)::int AS outages
FROM ops.outages o JOIN ops.utilities u ON u.id = o.utility_id WHERE o.${since} GROUP BY 1 ORDER BY 2 DESC` },
    visualization: { name: 'Outages by province', type: 'pie', config: { label: 'province', value: 'outages' } },
    layout: { x: 6, y: 4, w: 3, h: 4 },
  },
  {
    query: { name: 'Outage size vs duration', parameters: days, sql: `SELECT extract(epoch FROM restored_at - started_at)::int / 60 AS minutes, customers_affected
FROM ops.outages WHERE ${since} AND restored_at IS NOT NULL ORDER BY started_at DESC LIMIT 2000` },
    visualization: { name: 'Outage size vs duration (min)', type: 'scatter', config: { x: 'minutes', y: ['customers_affected'] } },
    layout: { x: 9, y: 4, w: 3, h: 4 },
  },
  {
    query: { name: 'Trading latency p99 per hour', parameters: days, sql: `SELECT date_trunc('hour', observed_at) AS hour, venue, avg(p99_us)::float8 AS p99_us
FROM ops.trading_latency WHERE observed_at >= now() - make_interval(days => least({{days}}::int, 30)) GROUP BY 1, 2 ORDER BY 1` },
    visualization: { name: 'Trading latency p99 (µs)', type: 'line', config: { x: 'hour', y: ['p99_us'], series: 'venue', yFormat: { style: 'number', decimals: 0, suffix: ' µs' } } },
    layout: { x: 0, y: 6, w: 6, h: 4 },
  },
  {
    query: { name: 'Largest open outages', sql: `SELECT u.name AS utility, o.cause, o.started_at, o.customers_affected
FROM ops.outages o JOIN ops.utilities u ON u.id = o.utility_id WHERE o.restored_at IS NULL ORDER BY o.customers_affected DESC LIMIT 20` },
    visualization: { name: 'Largest open outages', type: 'table', config: { columns: [{ name: 'customers_affected', label: 'customers', conditions: [{ operator: '>=', value: 5000, color: '#fecaca' }, { operator: '>=', value: 1000, color: '#fef3c7' }] }] } },
    layout: { x: 6, y: 8, w: 6, h: 4 },
  },
]

const notes = `## Operations overview
Demo data: **60k outages** across Canadian utilities over a year and a month of per-minute trading latency.
- The *Last N days* filter drives every time-bounded tile.
- Open a tile's query to see its SQL.`

export async function seedDemoDashboard(orgId: string, datasourceId: string, ownerId?: string): Promise<string> {
  const queryIds: string[] = []
  for (const demo of demoTiles) {
    const query = await createQuery(orgId, ownerId ?? null, { datasourceId, name: demo.query.name, sql: demo.query.sql, parameters: demo.query.parameters ?? [], tags: ['demo'] }, everyDatasource)
    queryIds.push(query.id)
  }
  return useDb().transaction(async (tx) => {
    const tiles: DashboardTile[] = []
    for (const [index, demo] of demoTiles.entries()) {
      const config = parseVisualizationConfig(demo.visualization.type, demo.visualization.config)
      if (!config.success) throw new Error(`demo visualization ${demo.visualization.name}: ${config.error.message}`)
      const [visualization] = await tx.insert(visualizations).values({ orgId, queryId: queryIds[index]!, ...demo.visualization, config: config.data }).returning({ id: visualizations.id })
      tiles.push({ id: crypto.randomUUID(), visualizationId: visualization!.id, ...demo.layout, bindings: demo.query.parameters ? { days: 'days' } : {} })
    }
    tiles.push({ id: crypto.randomUUID(), text: notes, x: 0, y: 10, w: 6, h: 2, bindings: {} })
    const [dashboard] = await tx.insert(dashboards).values({
      orgId,
      ownerId,
      name: 'Operations overview',
      description: 'Outages and trading latency from the demo ops database',
      filters: [{ name: 'days', label: 'Last N days', type: 'integer', default: 30, min: 1, max: 3660 }],
      tiles,
      refreshIntervalSeconds: 300,
    }).returning({ id: dashboards.id })
    return dashboard!.id
  })
}
