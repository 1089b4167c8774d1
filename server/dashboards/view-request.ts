// The request both dashboard views share (GET and "refresh now"): a viewer of the org,
// the dashboard id from the path, and its filter values from the query string
// (`?region=North`, so a view is a shareable URL) resolved against the dashboard's filters.
import type { H3Event } from 'h3'
import { idParams } from '#shared/ids'
import { dashboardViewQuery } from '#shared/schemas/dashboards'
import { requireRole } from '../utils/auth'
import { readValidParams, readValidQuery } from '../utils/validate'
import { loadDashboard, resolveFilterValues, type Dashboard, type FilterValues } from './tiles'

export async function readDashboardView(event: H3Event): Promise<{ orgId: string, userId: string, dashboard: Dashboard, filterValues: FilterValues }> {
  const { orgId, userId } = requireRole(event, 'viewer')
  const { id } = readValidParams(event, idParams)
  const given = readValidQuery(event, dashboardViewQuery)
  const dashboard = await loadDashboard(orgId, id)
  return { orgId, userId, dashboard, filterValues: resolveFilterValues(dashboard.filters, given) }
}
