import { idParams } from '#shared/ids'
import { firingsQuery } from '#shared/schemas/schedules'
import { listFirings } from '../../../schedules/store'

export default defineEventHandler(async (event) => {
  const { orgId } = requireRole(event, 'viewer')
  const { id } = readValidParams(event, idParams)
  const { limit } = readValidQuery(event, firingsQuery)
  await findInOrg('schedule', orgId, id)
  return listFirings(orgId, id, limit)
})
