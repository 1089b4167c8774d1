import { and, eq } from 'drizzle-orm'
import { visualizations } from '../../../db/schema'
import { idParams } from '#shared/ids'

// Tiles that showed it keep their place and say the visualization was deleted.
export default defineEventHandler(async (event) => {
  const { orgId } = requireRole(event, 'editor')
  const { id } = readValidParams(event, idParams)
  const deleted = await useDb().delete(visualizations)
    .where(and(eq(visualizations.orgId, orgId), eq(visualizations.id, id)))
    .returning({ id: visualizations.id })
  if (deleted.length === 0) throw createError({ statusCode: 404, message: 'Visualization not found' })
  setResponseStatus(event, 204)
  return null
})
