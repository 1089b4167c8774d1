// Who is signed in, in which org and role; the org's timezone lets parameter widgets show
// the days a relative date ("last_90_days") resolves to, as the server will resolve them.
import { orgTimezone } from '../../runs/enqueue'

export default defineEventHandler(async (event) => {
  const { userId, email, name, orgId, orgName, role } = requireAuth(event)
  return { user: { id: userId, email, name }, org: { id: orgId, name: orgName, timezone: await orgTimezone(orgId) }, role }
})
