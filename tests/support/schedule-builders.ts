// Fixtures for schedule tests: a query (on a datasource from engine-builders) and
// schedules made through the domain code, with their next slot set by the test.
import type { ParameterDefinition } from '#shared/parameters/types'
import { eq } from 'drizzle-orm'
import { queries, schedules } from '../../db/schema'
import { everyDatasource } from '../../server/access/check'
import { createSchedule } from '../../server/schedules/store'
import { useDb } from '../../server/utils/db'

export async function buildQuery(orgId: string, datasourceId: string, sql = 'SELECT 1 AS one', parameters: ParameterDefinition[] = []) {
  const [query] = await useDb().insert(queries).values({ orgId, datasourceId, name: 'scheduled query', sql, parameters }).returning()
  return query!
}

/** A query schedule whose next slot is the first after `from` (not after the real now). */
export async function buildQuerySchedule(orgId: string, queryId: string, cron: string, timezone: string, nextFireAt: Date, params: Record<string, unknown> = {}) {
  const schedule = await createSchedule(orgId, null, { queryId, cron, timezone, params, enabled: true }, everyDatasource)
  await useDb().update(schedules).set({ nextFireAt }).where(eq(schedules.id, schedule.id))
  return { ...schedule, nextFireAt }
}
