import { getSystemStatus } from '../../status/system-status'

export default defineEventHandler(async (event) => {
  const { orgId } = requireCan(event, 'status:read')
  return getSystemStatus(orgId)
})
