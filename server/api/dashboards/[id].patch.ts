import { idParams } from '#shared/ids'
import { dashboardPatchBody } from '#shared/schemas/dashboards'
import { updateDashboard } from '../../dashboards/write'

export default defineEventHandler(async (event) => {
  const { orgId } = requireCan(event, 'dashboard:write')
  const { id } = readValidParams(event, idParams)
  const patch = await readValidBody(event, dashboardPatchBody)
  return updateDashboard(orgId, id, patch)
})
