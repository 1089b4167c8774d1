import { idParams } from '#shared/ids'
import { schedulePatchBody } from '#shared/schemas/schedules'
import { updateSchedule } from '../../schedules/store'

export default defineEventHandler(async (event) => {
  const { orgId } = requireRole(event, 'editor')
  const { id } = readValidParams(event, idParams)
  const patch = await readValidBody(event, schedulePatchBody)
  const schedule = await updateSchedule(orgId, id, patch)
  if (!schedule) throw createError({ statusCode: 404, message: 'No such schedule in this org' })
  return schedule
})
