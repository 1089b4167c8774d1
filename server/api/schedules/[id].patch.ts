import { idParams } from '#shared/ids'
import { schedulePatchBody } from '#shared/schemas/schedules'
import { requireScheduleAccess } from '../../access/objects'
import { ScheduleFieldProblem, updateSchedule } from '../../schedules/store'

export default defineEventHandler(async (event) => {
  const auth = requireCan(event, 'schedule:write')
  const { id } = readValidParams(event, idParams)
  const patch = await readValidBody(event, schedulePatchBody)
  await requireScheduleAccess(auth, id)
  const schedule = await updateSchedule(auth.orgId, id, patch).catch((error) => {
    if (error instanceof ScheduleFieldProblem) badRequest(`Invalid request body: ${error.field}: ${error.message}`, [{ path: error.field, message: error.message }])
    throw error
  })
  if (!schedule) notFoundInOrg('schedule')
  return schedule
})
