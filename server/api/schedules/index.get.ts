import { z } from 'zod'
import { idSchema } from '#shared/ids'
import { datasourceAccess } from '../../access/check'
import { listSchedules } from '../../schedules/store'

const listQuery = z.object({ queryId: idSchema.optional(), dashboardId: idSchema.optional() })

export default defineEventHandler(async (event) => {
  const auth = requireRole(event, 'viewer')
  const filter = readValidQuery(event, listQuery)
  return listSchedules(auth.orgId, await datasourceAccess(auth), filter)
})
