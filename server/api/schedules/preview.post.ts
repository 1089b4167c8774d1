// The next fire times of a cron + timezone after `from` (default now), for the editor's
// "next five" before saving: the same function the scheduler fires with.
import { nextFireTimes } from '#shared/cron/next-fire'
import { schedulePreviewBody } from '#shared/schemas/schedules'

export default defineEventHandler(async (event) => {
  requireRole(event, 'viewer')
  const { cron, timezone, count, from } = await readValidBody(event, schedulePreviewBody)
  const after = from ? new Date(from) : new Date()
  try {
    return { from: after.toISOString(), fireTimes: nextFireTimes(cron, timezone, after, count).map(time => time.toISOString()) }
  }
  catch (error) {
    const message = `cannot compute its next fire time in ${timezone}: ${(error as Error).message}`
    badRequest(`Invalid request body: cron: ${message}`, [{ path: 'cron', message }])
  }
})
