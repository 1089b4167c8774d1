import { getWorkerLiveness } from '../../status/system-status'

// Every signed-in user may ask: the UI shows a banner when no worker is alive.
export default defineEventHandler(async (event) => {
  requireAuth(event)
  return getWorkerLiveness()
})
