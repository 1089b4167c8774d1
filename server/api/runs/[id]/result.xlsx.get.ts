// The whole result of a run as XLSX, streamed; `?raw=1` leaves formula-like text as it is.
import { idParams } from '#shared/ids'
import { resultExportSchema } from '#shared/schemas/queries'
import { requireRunAccess } from '../../../access/objects'
import { sendResultExport } from '../../../exports/download'

export default defineEventHandler(async (event) => {
  const auth = requireRole(event, 'viewer')
  const { id } = readValidParams(event, idParams)
  const { raw } = readValidQuery(event, resultExportSchema)
  const run = await requireRunAccess(auth, id)
  return sendResultExport(event, run, 'xlsx', raw)
})
