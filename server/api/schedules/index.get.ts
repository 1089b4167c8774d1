import { scheduleListQuery } from '#shared/schemas/schedules'
import { datasourceAccess } from '../../access/check'
import { listSchedules } from '../../schedules/store'

export default defineEventHandler(async (event) => {
  const auth = requireRole(event, 'viewer')
  const filter = readValidQuery(event, scheduleListQuery)
  return listSchedules(auth.orgId, await datasourceAccess(auth), filter)
})
