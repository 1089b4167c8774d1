import { getSystemStatus } from '../../status/system-status'

export default defineEventHandler(async (event) => {
  requireRole(event, 'admin')
  return getSystemStatus()
})
