// Server-sent events of one run's status changes until it ends (see server/runs/stream.ts).
import { idParams } from '#shared/ids'
import { requireRunAccess } from '../../../access/objects'
import { streamRunEvents } from '../../../runs/stream'

export default defineEventHandler(async (event) => {
  const auth = requireRole(event, 'viewer')
  const { id } = readValidParams(event, idParams)
  // 404 before any stream is opened
  await requireRunAccess(auth, id)
  return streamRunEvents(event, auth, [id])
})
