// The next fire times of a cron + timezone, for the editor's "next five" before saving.
import { nextFireTimes } from '#shared/schedules'
import { schedulePreviewBody } from '#shared/schemas/schedules'

export default defineEventHandler(async (event) => {
  requireRole(event, 'viewer')
  const { cron, timezone, count } = await readValidBody(event, schedulePreviewBody)
  return { fireTimes: nextFireTimes(cron, timezone, new Date(), count).map(time => time.toISOString()) }
})
