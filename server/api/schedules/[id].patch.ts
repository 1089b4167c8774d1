import { idParams } from '#shared/ids'
import { schedulePatchBody } from '#shared/schemas/schedules'
import { ScheduleFieldProblem, updateSchedule } from '../../schedules/store'

export default defineEventHandler(async (event) => {
  const { orgId } = requireCan(event, 'schedule:write')
  const { id } = readValidParams(event, idParams)
  const patch = await readValidBody(event, schedulePatchBody)
  const schedule = await updateSchedule(orgId, id, patch).catch((error) => {
    if (error instanceof ScheduleFieldProblem) badRequest(`Invalid request body: ${error.field}: ${error.message}`, [{ path: error.field, message: error.message }])
    throw error
  })
  if (!schedule) notFoundInOrg('schedule')
  return schedule
})
