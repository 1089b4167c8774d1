// Schedules as the API sees them: create, list, change, delete, and a schedule's
// firings. Every statement is scoped by org. next_fire_at is computed here on every
// change that moves it (cron, timezone, enabling), always from now, so a schedule
// switched back on never fires for the slots it slept through; such a change also
// clears a next-fire error the scheduler recorded (see claim.ts). A schedule of a query on
// a datasource hidden from the caller is neither listed nor made (server/access).
import { and, desc, eq, sql } from 'drizzle-orm'
import { queries, scheduleFirings, schedules } from '../../db/schema'
import { nextFireAfter } from '#shared/cron/next-fire'
import type { ScheduleBody, SchedulePatchBody } from '#shared/schemas/schedules'
import { canReach, type DatasourceAccess } from '../access/check'
import { useDb } from '../utils/db'

export type Schedule = typeof schedules.$inferSelect

/** A body field the schema accepted but the schedule cannot use; the API answers 400 naming it. */
export class ScheduleFieldProblem extends Error {
  constructor(readonly field: 'queryId' | 'dashboardId' | 'cron', message: string) {
    super(message)
  }
}

function firstSlot(cron: string, timezone: string, now = new Date()): Date {
  try {
    return nextFireAfter(cron, timezone, now)
  }
  catch (error) {
    throw new ScheduleFieldProblem('cron', `cannot compute its next fire time in ${timezone}: ${(error as Error).message}`)
  }
}

async function assertTarget(orgId: string, body: Pick<ScheduleBody, 'queryId' | 'dashboardId'>, access: DatasourceAccess): Promise<void> {
  if (body.queryId) {
    const [query] = await useDb().select({ datasourceId: queries.datasourceId }).from(queries).where(and(eq(queries.id, body.queryId), eq(queries.orgId, orgId)))
    if (!query || !canReach(access, query.datasourceId)) throw new ScheduleFieldProblem('queryId', 'no such query in this org')
  }
  if (body.dashboardId) {
    const { rows } = await useDb().execute(sql`SELECT 1 FROM dashboards WHERE id = ${body.dashboardId} AND org_id = ${orgId}`)
    if (!rows.length) throw new ScheduleFieldProblem('dashboardId', 'no such dashboard in this org')
  }
}

export async function createSchedule(orgId: string, userId: string | null, body: ScheduleBody, access: DatasourceAccess): Promise<Schedule> {
  await assertTarget(orgId, body, access)
  const [schedule] = await useDb().insert(schedules).values({
    orgId,
    queryId: body.queryId ?? null,
    dashboardId: body.dashboardId ?? null,
    cron: body.cron,
    timezone: body.timezone,
    params: body.params ?? {},
    enabled: body.enabled,
    nextFireAt: firstSlot(body.cron, body.timezone),
    createdBy: userId,
  }).returning()
  return schedule!
}

export async function getSchedule(orgId: string, scheduleId: string): Promise<Schedule | undefined> {
  const [schedule] = await useDb().select().from(schedules).where(and(eq(schedules.id, scheduleId), eq(schedules.orgId, orgId)))
  return schedule
}

export interface ScheduleListFilter {
  queryId?: string
  dashboardId?: string
}

export async function listSchedules(orgId: string, access: DatasourceAccess, filter: ScheduleListFilter = {}) {
  const rows = await useDb().execute<Schedule & { targetName: string | null, queryDatasourceId: string | null }>(sql`
    SELECT s.id, s.org_id AS "orgId", s.query_id AS "queryId", s.dashboard_id AS "dashboardId", s.cron, s.timezone,
      s.params, s.enabled, s.next_fire_at AS "nextFireAt", s.last_fired_at AS "lastFiredAt", s.last_status AS "lastStatus",
      s.last_run_ids AS "lastRunIds", s.failure_streak AS "failureStreak", s.last_error AS "lastError",
      s.last_error_at AS "lastErrorAt", s.next_fire_error AS "nextFireError", s.next_fire_error_at AS "nextFireErrorAt", s.created_by AS "createdBy", s.created_at AS "createdAt", s.updated_at AS "updatedAt",
      coalesce(q.name, d.name) AS "targetName", q.datasource_id AS "queryDatasourceId"
    FROM schedules s
    LEFT JOIN queries q ON q.id = s.query_id
    LEFT JOIN dashboards d ON d.id = s.dashboard_id
    WHERE s.org_id = ${orgId}
      ${filter.queryId ? sql`AND s.query_id = ${filter.queryId}` : sql``}
      ${filter.dashboardId ? sql`AND s.dashboard_id = ${filter.dashboardId}` : sql``}
    ORDER BY s.created_at DESC`)
  return rows.rows
    .filter(row => !row.queryDatasourceId || canReach(access, row.queryDatasourceId))
    .map(({ queryDatasourceId: _queryDatasourceId, ...schedule }) => schedule)
}

export async function updateSchedule(orgId: string, scheduleId: string, patch: SchedulePatchBody): Promise<Schedule | undefined> {
  const current = await getSchedule(orgId, scheduleId)
  if (!current) return undefined
  const cron = patch.cron ?? current.cron
  const timezone = patch.timezone ?? current.timezone
  const enabled = patch.enabled ?? current.enabled
  const moves = cron !== current.cron || timezone !== current.timezone || (enabled && !current.enabled)
  const [schedule] = await useDb().update(schedules).set({
    cron,
    timezone,
    enabled,
    ...(patch.params ? { params: patch.params } : {}),
    ...(moves ? { nextFireAt: firstSlot(cron, timezone), nextFireError: null, nextFireErrorAt: null } : {}),
    updatedAt: new Date(),
  }).where(and(eq(schedules.id, scheduleId), eq(schedules.orgId, orgId))).returning()
  return schedule
}

export async function listFirings(orgId: string, scheduleId: string, limit: number) {
  return useDb().select().from(scheduleFirings)
    .where(and(eq(scheduleFirings.scheduleId, scheduleId), eq(scheduleFirings.orgId, orgId)))
    .orderBy(desc(scheduleFirings.dueAt))
    .limit(limit)
}
