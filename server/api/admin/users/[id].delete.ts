import { removeMember } from '../../../auth/accounts'
import { idParams } from '#shared/ids'

export default defineEventHandler(async (event) => {
  const { orgId, userId } = requireRole(event, 'admin')
  const { id } = readValidParams(event, idParams)
  if (id === userId) badRequest('You cannot remove yourself', [{ path: 'id', message: 'is your own account' }])
  const removed = await removeMember(orgId, id)
  if (!removed) throw createError({ statusCode: 404, message: 'No such user in this org' })
  return { ok: true }
})
