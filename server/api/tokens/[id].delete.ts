// Revokes one of the caller's API tokens (204); it is refused from the next request on.
// Another user's or another org's token answers 404, like an unknown one.
import { idParams } from '#shared/ids'
import { revokeApiToken } from '../../auth/api-tokens'

export default defineEventHandler(async (event) => {
  const { orgId, userId } = requireAuth(event)
  const { id } = readValidParams(event, idParams)
  const revoked = await revokeApiToken(orgId, userId, id)
  if (!revoked) notFoundInOrg('token')
  return deletedResponse(event)
})
