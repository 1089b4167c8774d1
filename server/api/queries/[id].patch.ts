// Changes a query (editors with `query` on its datasource, and on the new one when it
// moves). A change of name, datasource, SQL, parameters or options is saved as the next
// version; `archived: false` brings an archived query back.
import { idParams } from '#shared/ids'
import { updateQuerySchema } from '#shared/schemas/queries'
import { requireQueryAccess } from '../../access/objects'
import { datasourceAccess } from '../../access/check'
import { toPublicQuery, updateQuery } from '../../queries/queries'

export default defineEventHandler(async (event) => {
  const auth = requireCan(event, 'query:write')
  const { id } = readValidParams(event, idParams)
  await requireQueryAccess(auth, id, 'query')
  const input = await readValidBody(event, updateQuerySchema)
  const query = await updateQuery(auth.orgId, auth.userId, id, input, await datasourceAccess(auth))
  logger.info('query updated', { queryId: id, version: query.version, orgId: auth.orgId })
  return toPublicQuery(query)
})
