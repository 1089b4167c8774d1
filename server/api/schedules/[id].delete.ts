import { idParams } from '#shared/ids'
import { requireScheduleAccess } from '../../access/objects'

export default defineEventHandler(async (event) => {
  const auth = requireCan(event, 'schedule:write')
  const { id } = readValidParams(event, idParams)
  await requireScheduleAccess(auth, id)
  await deleteInOrg('schedule', auth.orgId, id)
  return deletedResponse(event)
})
