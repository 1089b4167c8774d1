import { scheduleListQuery } from '#shared/schemas/schedules'
import { listSchedules } from '../../schedules/store'

export default defineEventHandler(async (event) => {
  const { orgId } = requireRole(event, 'viewer')
  const filter = readValidQuery(event, scheduleListQuery)
  return listSchedules(orgId, filter)
})
