// Archives a query (editors): it leaves lists but keeps its history, and PATCH
// {archived: false} restores it. `?hard=1` deletes it for good (admins only). Both need
// `query` on its datasource.
import { idParams } from '#shared/ids'
import { deleteQueryOptions } from '#shared/schemas/queries'
import { requireQueryAccess } from '../../access/objects'
import { archiveQuery, deleteQuery, toPublicQuery } from '../../queries/queries'

export default defineEventHandler(async (event) => {
  const { id } = readValidParams(event, idParams)
  const { hard } = readValidQuery(event, deleteQueryOptions)
  if (hard === '1' || hard === 'true') {
    const auth = requireCan(event, 'query:delete')
    await requireQueryAccess(auth, id, 'query')
    await deleteQuery(auth.orgId, id)
    logger.info('query deleted', { queryId: id, orgId: auth.orgId })
    return deletedResponse(event)
  }
  const auth = requireCan(event, 'query:write')
  await requireQueryAccess(auth, id, 'query')
  const query = await archiveQuery(auth.orgId, id)
  logger.info('query archived', { queryId: id, orgId: auth.orgId })
  return toPublicQuery(query)
})
