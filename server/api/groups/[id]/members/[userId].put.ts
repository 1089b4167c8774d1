// Adds a member of the org to a named group (admins); adding twice is one membership.
import { groupMemberParams } from '#shared/schemas/groups'
import { addGroupMember } from '../../../../access/groups'

export default defineEventHandler(async (event) => {
  const { orgId } = requireCan(event, 'group:manage')
  const { id, userId } = readValidParams(event, groupMemberParams)
  return addGroupMember(orgId, id, userId)
})
