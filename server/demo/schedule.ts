// The demo org's schedule: the "Operations overview" dashboard refreshed every morning at
// 06:00 in the org's timezone, so a fresh install shows what a schedule looks like and
// the dashboard is fresh when people arrive.
import { eq } from 'drizzle-orm'
import { orgs } from '../../db/schema'
import { everyDatasource } from '../access/check'
import { createSchedule } from '../schedules/store'
import { useDb } from '../utils/db'

export const DEMO_SCHEDULE_CRON = '0 6 * * *'

export async function seedDemoSchedule(orgId: string, dashboardId: string): Promise<string> {
  const [org] = await useDb().select({ timezone: orgs.timezone }).from(orgs).where(eq(orgs.id, orgId))
  const schedule = await createSchedule(orgId, null, { dashboardId, cron: DEMO_SCHEDULE_CRON, timezone: org?.timezone ?? 'UTC', enabled: true }, everyDatasource)
  return schedule.id
}
