import { idParams } from '#shared/ids'
import { schedulePatchBody } from '#shared/schemas/schedules'
import { updateSchedule } from '../../schedules/store'

export default defineEventHandler(async (event) => {
  const { orgId } = requireCan(event, 'schedule:write')
  const { id } = readValidParams(event, idParams)
  const patch = await readValidBody(event, schedulePatchBody)
  const schedule = await updateSchedule(orgId, id, patch)
  if (!schedule) notFoundInOrg('schedule')
  return schedule
})
