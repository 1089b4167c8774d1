// A query's run history, newest first; `before` (ISO time of the last row seen) pages on.
import { z } from 'zod'
import { idParams } from '#shared/ids'
import { requireQueryAccess } from '../../../access/objects'
import { queryRunHistory } from '../../../queries/history'

const querySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 time' }).optional(),
})

export default defineEventHandler(async (event) => {
  const auth = requireRole(event, 'viewer')
  const { id } = readValidParams(event, idParams)
  const { limit, before } = readValidQuery(event, querySchema)
  await requireQueryAccess(auth, id, 'view')
  return queryRunHistory(auth.orgId, id, limit, before ? new Date(before) : undefined)
})
