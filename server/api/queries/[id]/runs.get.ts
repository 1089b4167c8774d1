// A query's run history, newest first; `before` (ISO time of the last row seen) pages on.
import { idParams } from '#shared/ids'
import { runHistoryQuery } from '#shared/schemas/queries'
import { requireQueryAccess } from '../../../access/objects'
import { queryRunHistory } from '../../../queries/history'

export default defineEventHandler(async (event) => {
  const auth = requireRole(event, 'viewer')
  const { id } = readValidParams(event, idParams)
  const { limit, before } = readValidQuery(event, runHistoryQuery)
  await requireQueryAccess(auth, id, 'view')
  return queryRunHistory(auth.orgId, id, limit, before ? new Date(before) : undefined)
})
