import { idParams } from '#shared/ids'

export default defineEventHandler(async (event) => {
  const { orgId } = requireRole(event, 'viewer')
  const { id } = readValidParams(event, idParams)
  return findInOrg('schedule', orgId, id)
})
