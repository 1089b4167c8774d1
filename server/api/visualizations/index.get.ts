import { and, asc, eq } from 'drizzle-orm'
import { queries, visualizations } from '../../../db/schema'
import { datasourceAccess, reachableDatasources } from '../../access/check'

// Every visualization of the org with its query's name and parameters: what the
// dashboard editor offers as tiles and binds filters onto. Those of queries on
// datasources hidden from the caller are left out.
export default defineEventHandler(async (event) => {
  const auth = requireRole(event, 'viewer')
  const access = await datasourceAccess(auth)
  return useDb().select({
    id: visualizations.id,
    name: visualizations.name,
    type: visualizations.type,
    queryId: visualizations.queryId,
    queryName: queries.name,
    queryParameters: queries.parameters,
  }).from(visualizations)
    .innerJoin(queries, eq(queries.id, visualizations.queryId))
    .where(and(eq(visualizations.orgId, auth.orgId), reachableDatasources(access, queries.datasourceId)))
    .orderBy(asc(queries.name), asc(visualizations.name))
})
