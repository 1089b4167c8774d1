import { idParams } from '#shared/ids'

export default defineEventHandler(async (event) => {
  const { orgId } = requireCan(event, 'dashboard:write')
  const { id } = readValidParams(event, idParams)
  await deleteInOrg('dashboard', orgId, id)
  return deletedResponse(event)
})
