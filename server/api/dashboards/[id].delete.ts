import { and, eq } from 'drizzle-orm'
import { dashboards } from '../../../db/schema'
import { idParams } from '#shared/ids'

export default defineEventHandler(async (event) => {
  const { orgId } = requireRole(event, 'editor')
  const { id } = readValidParams(event, idParams)
  const deleted = await useDb().delete(dashboards)
    .where(and(eq(dashboards.orgId, orgId), eq(dashboards.id, id)))
    .returning({ id: dashboards.id })
  if (deleted.length === 0) throw createError({ statusCode: 404, message: 'Dashboard not found' })
  setResponseStatus(event, 204)
  return null
})
