// The caller's own API tokens: name, scope, role, created, last used, expires; never the secret.
import { listApiTokens } from '../../auth/api-tokens'

export default defineEventHandler(async (event) => {
  const { orgId, userId } = requireAuth(event)
  return listApiTokens(orgId, userId)
})
