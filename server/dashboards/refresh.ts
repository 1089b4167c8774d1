// Refreshes every tile of a dashboard with its default filter values, bypassing the
// cache (maxAgeSeconds 0) but not single flight: an identical run already queued or
// running is joined. Used by dashboard schedules (every tile) and the "refresh" button
// (the tiles on datasources the caller reaches).
import type { RunTrigger } from '#shared/runs'
import { enqueueQueryRun } from '../runs/enqueue'
import { canReach, type DatasourceAccess } from '../access/check'
import { logger } from '../utils/logger'
import { forgetFreshAnswers } from './serve'
import { defaultFilterValues, loadDashboard, loadTileTargets } from './tiles'

export async function refreshDashboard(input: {
  orgId: string
  dashboardId: string
  trigger: RunTrigger
  scheduleId?: string | null
  timezone?: string
  triggeredBy?: string | null
  access: DatasourceAccess
  filterValues?: Record<string, unknown>
}): Promise<{ runIds: string[] }> {
  const dashboard = await loadDashboard(input.orgId, input.dashboardId)
  const values = input.filterValues ?? defaultFilterValues(dashboard.filters)
  const targets = await loadTileTargets(input.orgId, dashboard, values)
  const seen = new Set<string>()
  const runIds: string[] = []
  for (const target of targets) {
    if (!target.visualization || !target.targetKey || seen.has(target.targetKey)) continue
    if (!canReach(input.access, target.datasourceId!)) continue
    seen.add(target.targetKey)
    try {
      const { run } = await enqueueQueryRun({
        orgId: input.orgId,
        queryId: target.visualization.queryId,
        params: target.params,
        trigger: input.trigger,
        triggeredBy: input.triggeredBy ?? null,
        scheduleId: input.scheduleId ?? null,
        maxAgeSeconds: 0,
        timezone: input.timezone,
      })
      runIds.push(run.id)
    }
    catch (error) {
      // one tile's bad parameters must not stop the others from refreshing
      logger.warn('dashboard tile refresh failed', { orgId: input.orgId, dashboardId: input.dashboardId, queryId: target.visualization.queryId, error: String(error) })
    }
  }
  forgetFreshAnswers(input.orgId)
  return { runIds }
}
