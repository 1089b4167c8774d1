// Plan estimate of a saved query with these parameter values (viewers and up with `query`
// on its datasource: a plan shows tables and indexes, as the schema browser does): EXPLAIN only.
import { idParams } from '#shared/ids'
import { queryRunSchema } from '#shared/schemas/queries'
import { requireQueryAccess } from '../../../access/objects'
import { estimateQuery } from '../../../runs/estimate'

export default defineEventHandler(async (event) => {
  const auth = requireRole(event, 'viewer')
  const { id } = readValidParams(event, idParams)
  await requireQueryAccess(auth, id, 'query')
  const { params } = await readValidBody(event, queryRunSchema)
  return estimateQuery(auth.orgId, id, params)
})
