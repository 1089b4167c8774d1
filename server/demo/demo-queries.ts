// The demo org's metadata: a datasource pointing at the sample ops database and a few
// saved queries that show off typed parameters (date ranges with relative defaults,
// integers, multi-value enums, a query_enum fed by another query, optional blocks).
import { datasources, type PostgresDatasourceConfig } from '../../db/schema'
import type { ParameterDefinition } from '#shared/parameters/types'
import { encryptSecret } from '../connectors/secrets'
import { everyDatasource } from '../access/check'
import { createQuery } from '../queries/queries'
import { useDb } from '../utils/db'

export interface DemoQueryIds {
  utilities: string
  outagesByProvince: string
  unrestoredOutages: string
  venueLatency: string
  outagesByCause: string
  dailyOutages: string
}

interface DemoQuery {
  key: keyof DemoQueryIds
  name: string
  description: string
  tags: string[]
  sql: string
  parameters: (utilitiesQueryId: string) => ParameterDefinition[]
}

const period = (fallback: string): ParameterDefinition => ({ name: 'period', type: 'date_range', label: 'Period', required: true, default: fallback })

const demoQueries: DemoQuery[] = [
  {
    key: 'utilities',
    name: 'Utilities',
    description: 'Every utility with its province and customer count (also the choices of the "utility" parameter elsewhere).',
    tags: ['outages', 'reference'],
    sql: 'SELECT name, province, customers\nFROM ops.utilities\nORDER BY name',
    parameters: () => [],
  },
  {
    key: 'outagesByProvince',
    name: 'Outages by province',
    description: 'Outage count and customers affected per province over a period; optionally only planned or unplanned outages.',
    tags: ['outages'],
    sql: `SELECT u.province, count(*) AS outages, sum(o.customers_affected) AS customers_affected
FROM ops.outages o
JOIN ops.utilities u ON u.id = o.utility_id
WHERE o.started_at >= {{period.start}} AND o.started_at < {{period.end}} + 1
  [[AND o.planned = {{planned}}]]
GROUP BY u.province
ORDER BY outages DESC`,
    parameters: () => [period('last_30_days'), { name: 'planned', type: 'boolean', label: 'Planned only (empty: both)' }],
  },
  {
    key: 'unrestoredOutages',
    name: 'Latest unrestored outages',
    description: 'Outages still open, newest first, above a customer threshold.',
    tags: ['outages', 'live'],
    sql: `SELECT o.id, u.name AS utility, r.name AS region, o.cause, o.started_at,
       now() - o.started_at AS open_for, o.customers_affected
FROM ops.outages o
JOIN ops.utilities u ON u.id = o.utility_id
JOIN ops.regions r ON r.id = o.region_id
WHERE o.restored_at IS NULL AND o.customers_affected >= {{min_customers}}
ORDER BY o.started_at DESC
LIMIT 500`,
    parameters: () => [{ name: 'min_customers', type: 'integer', label: 'At least this many customers', required: true, default: 1 }],
  },
  {
    key: 'venueLatency',
    name: 'p99 latency per venue per hour',
    description: 'Worst p99 and mean p50 latency (µs) per trading venue per hour over the last N days.',
    tags: ['trading'],
    sql: `SELECT date_trunc('hour', observed_at) AS hour, venue,
       max(p99_us) AS p99_us, round(avg(p50_us), 1) AS p50_us, sum(messages) AS messages
FROM ops.trading_latency
WHERE observed_at >= now() - make_interval(days => {{days}}::int)
  AND venue = ANY({{venues}})
GROUP BY 1, 2
ORDER BY 1, 2`,
    parameters: () => [
      { name: 'days', type: 'integer', label: 'Days', required: true, default: 7 },
      { name: 'venues', type: 'enum', label: 'Venues', options: ['TSX', 'NEO', 'CSE'], multiple: true, required: true, default: ['TSX', 'NEO', 'CSE'] },
    ],
  },
  {
    key: 'outagesByCause',
    name: 'Outage count by cause',
    description: 'Outages per cause with the mean time to restore, for one utility or all of them.',
    tags: ['outages'],
    sql: `SELECT o.cause, count(*) AS outages,
       round(avg(extract(epoch FROM o.restored_at - o.started_at) / 60)) AS avg_minutes_to_restore
FROM ops.outages o
JOIN ops.utilities u ON u.id = o.utility_id
WHERE o.started_at >= {{period.start}} AND o.started_at < {{period.end}} + 1
  [[AND u.name = {{utility}}]]
GROUP BY o.cause
ORDER BY outages DESC`,
    parameters: utilitiesQueryId => [period('this_year'), { name: 'utility', type: 'query_enum', label: 'Utility (empty: all)', queryId: utilitiesQueryId }],
  },
  {
    key: 'dailyOutages',
    name: 'Daily outages',
    description: 'Outages and customers affected per day: a time series for line charts.',
    tags: ['outages', 'timeseries'],
    sql: `SELECT (started_at AT TIME ZONE 'UTC')::date AS day, count(*) AS outages, sum(customers_affected) AS customers_affected
FROM ops.outages
WHERE started_at >= {{period.start}} AND started_at < {{period.end}} + 1
GROUP BY 1
ORDER BY 1`,
    parameters: () => [period('last_90_days')],
  },
]

/** The datasource settings for a postgres:// URL (the demo database's own). */
export function datasourceFromUrl(databaseUrl: string) {
  const url = new URL(databaseUrl)
  const sslmode = url.searchParams.get('sslmode')
  return {
    config: {
      host: url.hostname,
      port: Number(url.port || 5432),
      database: decodeURIComponent(url.pathname.slice(1)) || 'postgres',
      user: decodeURIComponent(url.username),
      sslmode: (sslmode === 'require' || sslmode === 'verify-full' || sslmode === 'prefer' ? sslmode : 'disable') as PostgresDatasourceConfig['sslmode'],
    },
    password: url.password ? decodeURIComponent(url.password) : undefined,
  }
}

export async function seedDemoQueries(orgId: string, demoDatabaseUrl: string, ownerId?: string): Promise<{ datasourceId: string, queryIds: DemoQueryIds }> {
  const { config, password } = datasourceFromUrl(demoDatabaseUrl)
  const [datasource] = await useDb().insert(datasources).values({
    orgId,
    name: 'Demo ops database',
    type: 'postgres',
    config,
    encryptedPassword: password ? encryptSecret(password) : null,
  }).returning()
  const queryIds = {} as DemoQueryIds
  for (const demo of demoQueries) {
    const query = await createQuery(orgId, ownerId ?? null, {
      datasourceId: datasource!.id,
      name: demo.name,
      description: demo.description,
      tags: demo.tags,
      sql: demo.sql,
      parameters: demo.parameters(queryIds.utilities),
    }, everyDatasource)
    queryIds[demo.key] = query.id
  }
  return { datasourceId: datasource!.id, queryIds }
}
