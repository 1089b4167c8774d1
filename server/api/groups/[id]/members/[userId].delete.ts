// Takes a member out of a named group (admins, 204); it takes effect on their next request.
import { groupMemberParams } from '#shared/schemas/groups'
import { removeGroupMember } from '../../../../access/groups'

export default defineEventHandler(async (event) => {
  const { orgId } = requireCan(event, 'group:manage')
  const { id, userId } = readValidParams(event, groupMemberParams)
  await removeGroupMember(orgId, id, userId)
  return deletedResponse(event)
})
