import { asc, eq } from 'drizzle-orm'
import { queries, visualizations } from '../../../db/schema'

// Every visualization of the org with its query's name and parameters: what the
// dashboard editor offers as tiles and binds filters onto.
export default defineEventHandler(async (event) => {
  const { orgId } = requireRole(event, 'viewer')
  return useDb().select({
    id: visualizations.id,
    name: visualizations.name,
    type: visualizations.type,
    queryId: visualizations.queryId,
    queryName: queries.name,
    queryParameters: queries.parameters,
  }).from(visualizations)
    .innerJoin(queries, eq(queries.id, visualizations.queryId))
    .where(eq(visualizations.orgId, orgId))
    .orderBy(asc(queries.name), asc(visualizations.name))
})
