import { deleteSessionCookie, invalidateSession } from '../../auth/sessions'

export default defineEventHandler(async (event) => {
  const auth = requireAuth(event)
  if (auth.sessionId) await invalidateSession(auth.sessionId)
  deleteSessionCookie(event)
  return { ok: true }
})
