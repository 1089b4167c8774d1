// Copies a query (editors with `query` on its datasource) into a new one owned by the
// caller, at version 1.
import { idParams } from '#shared/ids'
import { cloneQueryBody } from '#shared/schemas/queries'
import { datasourceAccess } from '../../../access/check'
import { requireQueryAccess } from '../../../access/objects'
import { cloneQuery, toPublicQuery } from '../../../queries/queries'

export default defineEventHandler(async (event) => {
  const auth = requireCan(event, 'query:write')
  const { id } = readValidParams(event, idParams)
  const { name } = await readValidBody(event, cloneQueryBody)
  await requireQueryAccess(auth, id, 'query')
  const query = await cloneQuery(auth.orgId, auth.userId, id, await datasourceAccess(auth), name)
  logger.info('query cloned', { queryId: query.id, from: id })
  setResponseStatus(event, 201)
  return toPublicQuery(query, { lastRun: null })
})
