import { refreshDashboard } from '../../../dashboards/refresh'
import { readDashboardView } from '../../../dashboards/view-request'

// "Refresh now" for the filter values in view: bypasses the cache, still single flight.
export default defineEventHandler(async (event) => {
  const { orgId, userId, dashboard, filterValues } = await readDashboardView(event)
  setResponseStatus(event, 202)
  return refreshDashboard({ orgId, dashboardId: dashboard.id, trigger: 'dashboard', triggeredBy: userId, filterValues })
})
