// Server-sent events of several runs' status changes over one connection, until every
// one has ended (see server/runs/stream.ts): `?ids=<id>,<id>,…`.
import { runEventsQuery } from '#shared/schemas/queries'
import { requireRunAccess } from '../../access/objects'
import { streamRunEvents } from '../../runs/stream'

export default defineEventHandler(async (event) => {
  const auth = requireRole(event, 'viewer')
  const { ids } = readValidQuery(event, runEventsQuery)
  // every run the caller may not see is the one 404, before any stream is opened
  for (const id of ids) await requireRunAccess(auth, id)
  return streamRunEvents(event, auth, ids)
})
