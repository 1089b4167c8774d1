// The request both dashboard views share (GET and "refresh now"): a viewer of the org,
// the datasources they reach (tiles on others are "no access"), the dashboard id from the
// path, and its filter values from the query string (`?region=North`, so a view is a
// shareable URL) resolved against the dashboard's filters.
import type { H3Event } from 'h3'
import { idParams } from '#shared/ids'
import { dashboardViewQuery } from '#shared/schemas/dashboards'
import { datasourceAccess, type DatasourceAccess } from '../access/check'
import { requireRole } from '../utils/auth'
import { readValidParams, readValidQuery } from '../utils/validate'
import { loadDashboard, resolveFilterValues, type Dashboard, type FilterValues } from './tiles'

export async function readDashboardView(event: H3Event): Promise<{ orgId: string, userId: string, access: DatasourceAccess, dashboard: Dashboard, filterValues: FilterValues }> {
  const auth = requireRole(event, 'viewer')
  const { id } = readValidParams(event, idParams)
  const given = readValidQuery(event, dashboardViewQuery)
  const dashboard = await loadDashboard(auth.orgId, id)
  return { orgId: auth.orgId, userId: auth.userId, access: await datasourceAccess(auth), dashboard, filterValues: resolveFilterValues(dashboard.filters, given) }
}
