import { idParams } from '#shared/ids'
import { firingsQuery } from '#shared/schemas/schedules'
import { requireScheduleAccess } from '../../../access/objects'
import { listFirings } from '../../../schedules/store'

export default defineEventHandler(async (event) => {
  const auth = requireRole(event, 'viewer')
  const { id } = readValidParams(event, idParams)
  const { limit } = readValidQuery(event, firingsQuery)
  await requireScheduleAccess(auth, id)
  return listFirings(auth.orgId, id, limit)
})
