import { idParams } from '../../../../shared/ids'
import { dashboardViewQuery } from '../../../../shared/schemas/dashboards'
import { refreshDashboard } from '../../../dashboards/refresh'
import { loadDashboard, resolveFilterValues } from '../../../dashboards/tiles'

// "Refresh now" for the filter values in view: bypasses the cache, still single flight.
export default defineEventHandler(async (event) => {
  const { orgId, userId } = requireRole(event, 'viewer')
  const { id } = readValidParams(event, idParams)
  const given = readValidQuery(event, dashboardViewQuery)
  const dashboard = await loadDashboard(orgId, id)
  const filterValues = resolveFilterValues(dashboard.filters, given)
  setResponseStatus(event, 202)
  return refreshDashboard({ orgId, dashboardId: id, trigger: 'dashboard', triggeredBy: userId, filterValues })
})
