import { idParams } from '#shared/ids'

// Tiles that showed it keep their place and say the visualization was deleted.
export default defineEventHandler(async (event) => {
  const { orgId } = requireCan(event, 'visualization:write')
  const { id } = readValidParams(event, idParams)
  await deleteInOrg('visualization', orgId, id)
  return deletedResponse(event)
})
