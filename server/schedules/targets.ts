// What a firing does to its target: a query schedule enqueues one run with the
// schedule's fixed parameters; a dashboard schedule refreshes every tile with the
// dashboard's default filters. Both bypass the result cache (a schedule exists to
// refresh) but join an identical run already queued. A schedule acts for the org: every
// tile is refreshed, and its results are served only through each viewer's access check.
import { refreshDashboard } from '../dashboards/refresh'
import { everyDatasource } from '../access/check'
import { enqueueQueryRun } from '../runs/enqueue'

export interface FiringTarget {
  orgId: string
  scheduleId: string
  queryId: string | null
  dashboardId: string | null
  params: Record<string, unknown>
  timezone: string
}

export async function fireTarget(target: FiringTarget): Promise<{ runIds: string[] }> {
  if (target.dashboardId) {
    return refreshDashboard({ orgId: target.orgId, dashboardId: target.dashboardId, trigger: 'schedule', scheduleId: target.scheduleId, timezone: target.timezone, access: everyDatasource })
  }
  const { run } = await enqueueQueryRun({
    orgId: target.orgId,
    queryId: target.queryId!,
    params: target.params,
    trigger: 'schedule',
    scheduleId: target.scheduleId,
    maxAgeSeconds: 0,
    timezone: target.timezone,
  })
  return { runIds: [run.id] }
}
