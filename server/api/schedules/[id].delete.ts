import { idParams } from '#shared/ids'
import { deleteSchedule } from '../../schedules/store'

export default defineEventHandler(async (event) => {
  const { orgId } = requireRole(event, 'editor')
  const { id } = readValidParams(event, idParams)
  if (!await deleteSchedule(orgId, id)) throw createError({ statusCode: 404, message: 'No such schedule in this org' })
  return { ok: true }
})
