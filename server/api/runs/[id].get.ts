// One run: status, timings, counts, error (with `sourceErrorPosition`, the error's
// position in the saved query's own SQL, when it has one). A run on a datasource hidden
// from the caller is a 404.
import { idParams } from '#shared/ids'
import { sourceErrorPosition } from '../../runs/error-position'
import { toPublicRun } from '../../runs/public'
import { requireRunAccess } from '../../access/objects'

export default defineEventHandler(async (event) => {
  const auth = requireRole(event, 'viewer')
  const { id } = readValidParams(event, idParams)
  const run = await requireRunAccess(auth, id)
  return { ...toPublicRun(run), sourceErrorPosition: await sourceErrorPosition(run) }
})
