// A dashboard view: every tile's latest fresh result (or the run refreshing it); tiles on
// datasources hidden from the viewer are "no access" (server/dashboards/serve.ts).
import { serveDashboardJson } from '../../dashboards/serve'
import { readDashboardView } from '../../dashboards/view-request'

export default defineEventHandler(async (event) => {
  const { orgId, userId, access, dashboard, filterValues } = await readDashboardView(event)
  // already JSON: identical views of fresh tiles share one serialization
  setResponseHeader(event, 'content-type', 'application/json; charset=utf-8')
  return serveDashboardJson({ orgId, userId, access, dashboard, values: filterValues })
})
