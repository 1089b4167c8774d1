import { refreshDashboard } from '../../../dashboards/refresh'
import { readDashboardView } from '../../../dashboards/view-request'

// "Refresh now" for the filter values in view: bypasses the cache, still single flight;
// tiles on datasources hidden from the caller are left alone.
export default defineEventHandler(async (event) => {
  const { orgId, userId, access, dashboard, filterValues } = await readDashboardView(event)
  setResponseStatus(event, 202)
  return refreshDashboard({ orgId, dashboardId: dashboard.id, trigger: 'dashboard', triggeredBy: userId, access, filterValues })
})
