import { getSystemStatus } from '../../status/system-status'

export default defineEventHandler(async (event) => {
  const { orgId } = requireRole(event, 'admin')
  return getSystemStatus(orgId)
})
