import { removeMember } from '../../../auth/accounts'
import { idParams } from '#shared/ids'

export default defineEventHandler(async (event) => {
  const { orgId, userId } = requireCan(event, 'user:manage')
  const { id } = readValidParams(event, idParams)
  if (id === userId) badRequest('You cannot remove yourself', [{ path: 'id', message: 'is your own account' }])
  const removed = await removeMember(orgId, id)
  if (!removed) notFoundInOrg('user')
  return deletedResponse(event)
})
