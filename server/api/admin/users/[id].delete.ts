import { refuseMembershipChange, removeMember } from '../../../auth/accounts'
import { idParams } from '#shared/ids'

export default defineEventHandler(async (event) => {
  const { orgId, userId } = requireCan(event, 'user:manage')
  const { id } = readValidParams(event, idParams)
  if (id === userId) badRequest('You cannot remove yourself', [{ path: 'id', message: 'is your own account' }])
  const change = await removeMember(orgId, userId, id)
  if (!change.ok) refuseMembershipChange(change.refusal, { path: 'id', message: 'is the org\'s last admin' })
  return deletedResponse(event)
})
