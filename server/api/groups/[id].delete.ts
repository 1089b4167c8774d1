// Deletes a named group with its memberships and grants (admins, 204); Admin and Everyone stay (409).
import { idParams } from '#shared/ids'
import { deleteGroup } from '../../access/groups'

export default defineEventHandler(async (event) => {
  const { orgId } = requireCan(event, 'group:manage')
  const { id } = readValidParams(event, idParams)
  await deleteGroup(orgId, id)
  return deletedResponse(event)
})
