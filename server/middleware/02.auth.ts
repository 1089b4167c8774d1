// Resolves who is calling (session cookie or bearer API token) into event.context.auth,
// refuses cross-site writes, and denies every /api route except the public ones to
// anonymous callers. Roles are checked per route with requireRole.
import { authenticateBearer } from '../auth/bearer'
import { isCrossSiteWrite } from '../auth/csrf'
import { deleteSessionCookie, readSessionCookie, setSessionCookie, validateSessionToken } from '../auth/sessions'

const PUBLIC_API_ROUTES = new Set(['/api/healthz', '/api/auth/login', '/api/auth/session', '/api/openapi.json'])

export default defineEventHandler(async (event) => {
  const path = event.path.split('?')[0]!
  if (!path.startsWith('/api/')) return

  const bearer = getRequestHeader(event, 'authorization')?.match(/^Bearer (.+)$/i)?.[1]
  if (bearer) {
    event.context.auth = await authenticateBearer(event, bearer.trim())
    return
  }

  // Bearer requests cannot be forged by another site; cookie ones can.
  if (isCrossSiteWrite(event)) {
    throw createError({ statusCode: 403, message: 'Cross-site request refused' })
  }

  const token = readSessionCookie(event)
  if (token) {
    const session = await validateSessionToken(token)
    if (session) {
      setSessionCookie(event, token, session.expiresAt)
      event.context.auth = session
    }
    else {
      deleteSessionCookie(event)
    }
  }
  if (!event.context.auth && !PUBLIC_API_ROUTES.has(path)) {
    throw createError({ statusCode: 401, message: 'Sign in to continue' })
  }
})
