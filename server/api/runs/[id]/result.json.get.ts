// The whole result of a run as JSON, streamed.
import { idParams } from '#shared/ids'
import { requireRunResultAccess } from '../../../access/objects'
import { sendResultExport } from '../../../exports/download'

export default defineEventHandler(async (event) => {
  const auth = requireRole(event, 'viewer')
  const { id } = readValidParams(event, idParams)
  return sendResultExport(event, await requireRunResultAccess(auth, id), 'json')
})
