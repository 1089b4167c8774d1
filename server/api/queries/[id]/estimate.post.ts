// Plan estimate of a saved query with these parameter values (viewers and up): EXPLAIN only.
import { idParams } from '#shared/ids'
import { queryRunSchema } from '#shared/schemas/queries'
import { estimateQuery } from '../../../runs/estimate'

export default defineEventHandler(async (event) => {
  const auth = requireRole(event, 'viewer')
  const { id } = readValidParams(event, idParams)
  const { params } = await readValidBody(event, queryRunSchema)
  return estimateQuery(auth.orgId, id, params)
})
