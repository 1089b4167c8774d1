import { z } from 'zod'
import { idParams } from '#shared/ids'
import { getSchedule, listFirings } from '../../../schedules/store'

const firingsQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) })

export default defineEventHandler(async (event) => {
  const { orgId } = requireRole(event, 'viewer')
  const { id } = readValidParams(event, idParams)
  const { limit } = readValidQuery(event, firingsQuery)
  if (!await getSchedule(orgId, id)) throw createError({ statusCode: 404, message: 'No such schedule in this org' })
  return listFirings(orgId, id, limit)
})
