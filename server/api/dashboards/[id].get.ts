import { idParams } from '../../../shared/ids'
import { dashboardViewQuery } from '../../../shared/schemas/dashboards'
import { serveDashboardJson } from '../../dashboards/serve'
import { loadDashboard, resolveFilterValues } from '../../dashboards/tiles'

// The query string holds filter values (`?region=North`), so a view is a shareable URL.
export default defineEventHandler(async (event) => {
  const { orgId, userId } = requireRole(event, 'viewer')
  const { id } = readValidParams(event, idParams)
  const given = readValidQuery(event, dashboardViewQuery)
  const dashboard = await loadDashboard(orgId, id)
  const filterValues = resolveFilterValues(dashboard.filters, given)
  // already JSON: identical views of fresh tiles share one serialization
  setResponseHeader(event, 'content-type', 'application/json; charset=utf-8')
  return serveDashboardJson({ orgId, userId, dashboard, values: filterValues })
})
