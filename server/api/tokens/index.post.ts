import { createApiToken } from '../../auth/api-tokens'
import { newApiTokenBody } from '#shared/schemas/auth'

export default defineEventHandler(async (event) => {
  const auth = requireAuth(event)
  const { name } = await readValidBody(event, newApiTokenBody)
  setResponseStatus(event, 201)
  // the only time the secret is ever returned
  return createApiToken(auth.userId, auth.orgId, name)
})
