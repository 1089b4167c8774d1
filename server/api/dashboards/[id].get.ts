import { serveDashboardJson } from '../../dashboards/serve'
import { readDashboardView } from '../../dashboards/view-request'

export default defineEventHandler(async (event) => {
  const { orgId, userId, dashboard, filterValues } = await readDashboardView(event)
  // already JSON: identical views of fresh tiles share one serialization
  setResponseHeader(event, 'content-type', 'application/json; charset=utf-8')
  return serveDashboardJson({ orgId, userId, dashboard, values: filterValues })
})
