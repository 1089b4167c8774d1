// The browser's "am I signed in?": 200 with the same body as /api/auth/me, or 200 with
// `{ signedIn: false }` for a visitor, so the sign-in page does not log a 401 on every
// visit. Scripts keep /api/auth/me, which answers 401 without a session.
import type { AuthContext } from '../../auth/sessions'
import { orgTimezone } from '../../runs/enqueue'

export default defineEventHandler(async (event) => {
  const auth = event.context.auth as AuthContext | undefined
  if (!auth) return { signedIn: false }
  const { userId, email, name, orgId, orgName, role } = auth
  return { signedIn: true, user: { id: userId, email, name }, org: { id: orgId, name: orgName, timezone: await orgTimezone(orgId) }, role }
})
