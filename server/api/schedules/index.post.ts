import { scheduleBody } from '#shared/schemas/schedules'
import { createSchedule, ScheduleFieldProblem } from '../../schedules/store'

export default defineEventHandler(async (event) => {
  const { orgId, userId } = requireCan(event, 'schedule:write')
  const body = await readValidBody(event, scheduleBody)
  try {
    const schedule = await createSchedule(orgId, userId, body)
    setResponseStatus(event, 201)
    return schedule
  }
  catch (error) {
    if (error instanceof ScheduleFieldProblem) badRequest(`Invalid request body: ${error.field}: ${error.message}`, [{ path: error.field, message: error.message }])
    throw error
  }
})
