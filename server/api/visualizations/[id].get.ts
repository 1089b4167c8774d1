import { and, eq } from 'drizzle-orm'
import { visualizations } from '../../../db/schema'
import { idParams } from '#shared/ids'

export default defineEventHandler(async (event) => {
  const { orgId } = requireRole(event, 'viewer')
  const { id } = readValidParams(event, idParams)
  const [visualization] = await useDb().select().from(visualizations)
    .where(and(eq(visualizations.orgId, orgId), eq(visualizations.id, id)))
  if (!visualization) throw createError({ statusCode: 404, message: 'Visualization not found' })
  return visualization
})
