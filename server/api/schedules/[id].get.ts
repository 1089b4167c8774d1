import { idParams } from '#shared/ids'
import { getSchedule } from '../../schedules/store'

export default defineEventHandler(async (event) => {
  const { orgId } = requireRole(event, 'viewer')
  const { id } = readValidParams(event, idParams)
  const schedule = await getSchedule(orgId, id)
  if (!schedule) throw createError({ statusCode: 404, message: 'No such schedule in this org' })
  return schedule
})
