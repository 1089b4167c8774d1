// Makes an API token for the signed-in user (201). The secret is in this answer and
// never again. A token cannot make tokens: a script holding one could otherwise keep
// access alive past a revoke.
import { newApiTokenBody } from '#shared/schemas/tokens'
import { createApiToken } from '../../auth/api-tokens'

export default defineEventHandler(async (event) => {
  const auth = requireAuth(event)
  if (auth.apiTokenId) throw createError({ statusCode: 403, message: 'An API token cannot create API tokens; sign in to make one' })
  const input = await readValidBody(event, newApiTokenBody)
  setResponseStatus(event, 201)
  return createApiToken(auth, input)
})
