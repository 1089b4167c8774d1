import { idParams } from '#shared/ids'
import { dashboardPatchBody } from '#shared/schemas/dashboards'
import { datasourceAccess } from '../../access/check'
import { updateDashboard } from '../../dashboards/write'

export default defineEventHandler(async (event) => {
  const auth = requireCan(event, 'dashboard:write')
  const { id } = readValidParams(event, idParams)
  const patch = await readValidBody(event, dashboardPatchBody)
  return updateDashboard(auth.orgId, id, await datasourceAccess(auth), patch)
})
