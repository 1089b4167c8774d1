import { idParams } from '../../../shared/ids'
import { dashboardViewQuery } from '../../../shared/schemas/dashboards'
import { serveDashboard } from '../../dashboards/serve'
import { loadDashboard, resolveFilterValues } from '../../dashboards/tiles'

// The query string holds filter values (`?region=North`), so a view is a shareable URL.
export default defineEventHandler(async (event) => {
  const { orgId, userId } = requireRole(event, 'viewer')
  const { id } = readValidParams(event, idParams)
  const given = readValidQuery(event, dashboardViewQuery)
  const dashboard = await loadDashboard(orgId, id)
  const filterValues = resolveFilterValues(dashboard.filters, given)
  const tiles = await serveDashboard({ orgId, userId, dashboard, values: filterValues })
  return { ...dashboard, filterValues, tiles }
})
