// Server-sent events of several runs' status changes over one connection, until every
// one has ended (see server/runs/stream.ts): `?ids=<id>,<id>,…`.
import { z } from 'zod'
import { idSchema } from '#shared/ids'
import { requireRunAccess } from '../../access/objects'
import { MAX_STREAMED_RUNS, streamRunEvents } from '../../runs/stream'

const querySchema = z.object({
  ids: z.string().transform(ids => ids.split(',')).pipe(z.array(idSchema).min(1).max(MAX_STREAMED_RUNS)),
})

export default defineEventHandler(async (event) => {
  const auth = requireRole(event, 'viewer')
  const { ids } = readValidQuery(event, querySchema)
  // every run the caller may not see is the one 404, before any stream is opened
  for (const id of ids) await requireRunAccess(auth, id)
  return streamRunEvents(event, auth.orgId, ids)
})
