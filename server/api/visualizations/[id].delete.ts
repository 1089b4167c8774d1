import { idParams } from '#shared/ids'
import { requireVisualizationAccess } from '../../access/objects'

// Tiles that showed it keep their place and say the visualization was deleted.
export default defineEventHandler(async (event) => {
  const auth = requireCan(event, 'visualization:write')
  const { id } = readValidParams(event, idParams)
  await requireVisualizationAccess(auth, id)
  await deleteInOrg('visualization', auth.orgId, id)
  return deletedResponse(event)
})
