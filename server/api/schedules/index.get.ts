import { z } from 'zod'
import { idSchema } from '#shared/ids'
import { listSchedules } from '../../schedules/store'

const listQuery = z.object({ queryId: idSchema.optional(), dashboardId: idSchema.optional() })

export default defineEventHandler(async (event) => {
  const { orgId } = requireRole(event, 'viewer')
  const filter = readValidQuery(event, listQuery)
  return listSchedules(orgId, filter)
})
