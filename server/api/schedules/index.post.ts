import { scheduleBody } from '#shared/schemas/schedules'
import { datasourceAccess } from '../../access/check'
import { createSchedule, ScheduleFieldProblem } from '../../schedules/store'

export default defineEventHandler(async (event) => {
  const auth = requireCan(event, 'schedule:write')
  const body = await readValidBody(event, scheduleBody)
  try {
    const schedule = await createSchedule(auth.orgId, auth.userId, body, await datasourceAccess(auth))
    setResponseStatus(event, 201)
    return schedule
  }
  catch (error) {
    if (error instanceof ScheduleFieldProblem) badRequest(`Invalid request body: ${error.field}: ${error.message}`, [{ path: error.field, message: error.message }])
    throw error
  }
})
