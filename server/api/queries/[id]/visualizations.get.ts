import { idParams } from '#shared/ids'
import { listVisualizations, requireQueryInOrg } from '../../../dashboards/visualizations'

export default defineEventHandler(async (event) => {
  const { orgId } = requireRole(event, 'viewer')
  const { id } = readValidParams(event, idParams)
  await requireQueryInOrg(orgId, id)
  return listVisualizations(orgId, id)
})
