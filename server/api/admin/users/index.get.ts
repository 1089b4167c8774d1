import { listMembers } from '../../../auth/accounts'

export default defineEventHandler(async (event) => {
  const { orgId } = requireRole(event, 'admin')
  return listMembers(orgId)
})
