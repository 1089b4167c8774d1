import { getSystemStatus } from '../../status/system-status'

export default defineEventHandler(async (event) => {
  requireCan(event, 'status:read')
  return getSystemStatus()
})
