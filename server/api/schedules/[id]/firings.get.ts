import { z } from 'zod'
import { idParams } from '#shared/ids'
import { requireScheduleAccess } from '../../../access/objects'
import { listFirings } from '../../../schedules/store'

const firingsQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) })

export default defineEventHandler(async (event) => {
  const auth = requireRole(event, 'viewer')
  const { id } = readValidParams(event, idParams)
  const { limit } = readValidQuery(event, firingsQuery)
  await requireScheduleAccess(auth, id)
  return listFirings(auth.orgId, id, limit)
})
