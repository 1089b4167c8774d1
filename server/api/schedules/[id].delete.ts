import { idParams } from '#shared/ids'

export default defineEventHandler(async (event) => {
  const { orgId } = requireCan(event, 'schedule:write')
  const { id } = readValidParams(event, idParams)
  await deleteInOrg('schedule', orgId, id)
  return deletedResponse(event)
})
