// The whole result of a run as XLSX, streamed; `?raw=1` leaves formula-like text as it is.
import { idParams } from '#shared/ids'
import { resultExportSchema } from '#shared/schemas/queries'
import { requireRunResultAccess } from '../../../access/objects'
import { sendResultExport } from '../../../exports/download'

export default defineEventHandler(async (event) => {
  const auth = requireRole(event, 'viewer')
  const { id } = readValidParams(event, idParams)
  const { raw } = readValidQuery(event, resultExportSchema)
  return sendResultExport(event, await requireRunResultAccess(auth, id), 'xlsx', raw)
})
