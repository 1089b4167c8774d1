// Saves a new query (editors with `query` on its datasource) as version 1.
import { createQuerySchema } from '#shared/schemas/queries'
import { datasourceAccess } from '../../access/check'
import { createQuery, toPublicQuery } from '../../queries/queries'

export default defineEventHandler(async (event) => {
  const auth = requireCan(event, 'query:write')
  const input = await readValidBody(event, createQuerySchema)
  const query = await createQuery(auth.orgId, auth.userId, input, await datasourceAccess(auth))
  logger.info('query created', { queryId: query.id, datasourceId: query.datasourceId, orgId: auth.orgId })
  setResponseStatus(event, 201)
  return toPublicQuery(query, { lastRun: null })
})
