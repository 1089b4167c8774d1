// Fixtures for schedule tests: a datasource pointing at the test Postgres itself (so
// real runs can execute), a query on it, and schedules made through the domain code.
import { eq } from 'drizzle-orm'
import { inject } from 'vitest'
import { datasources, queries, schedules } from '../../db/schema'
import { encryptSecret } from '../../server/connectors/secrets'
import { createSchedule } from '../../server/schedules/store'
import { useDb } from '../../server/utils/db'

export async function buildDatasource(orgId: string) {
  const url = new URL(inject('postgresServerUrl'))
  const [datasource] = await useDb().insert(datasources).values({
    orgId,
    name: 'test postgres',
    type: 'postgres',
    config: { host: url.hostname, port: Number(url.port || 5432), database: 'postgres', user: decodeURIComponent(url.username), sslmode: 'disable' },
    encryptedPassword: url.password ? encryptSecret(decodeURIComponent(url.password)) : null,
    maxConcurrentRuns: 8,
  }).returning()
  return datasource!
}

export async function buildQuery(orgId: string, datasourceId: string, sql = 'SELECT 1 AS one', parameters: unknown[] = []) {
  const [query] = await useDb().insert(queries).values({ orgId, datasourceId, name: 'scheduled query', sql, parameters }).returning()
  return query!
}

/** A query schedule whose next slot is the first after `from` (not after the real now). */
export async function buildQuerySchedule(orgId: string, queryId: string, cron: string, timezone: string, nextFireAt: Date, params: Record<string, unknown> = {}) {
  const schedule = await createSchedule(orgId, null, { queryId, cron, timezone, params, enabled: true })
  await useDb().update(schedules).set({ nextFireAt }).where(eq(schedules.id, schedule.id))
  return { ...schedule, nextFireAt }
}
