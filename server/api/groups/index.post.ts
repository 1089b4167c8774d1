// Makes a named group (admins): 201, or 409 when the org has a group of that name in any case.
import { newGroupBody } from '#shared/schemas/groups'
import { createGroup } from '../../access/groups'

export default defineEventHandler(async (event) => {
  const { orgId } = requireCan(event, 'group:manage')
  const { name } = await readValidBody(event, newGroupBody)
  const group = await createGroup(orgId, name)
  setResponseStatus(event, 201)
  return group
})
