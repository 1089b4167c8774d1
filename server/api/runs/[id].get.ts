// One run: status, timings, counts, error (with `sourceErrorPosition`, the error's
// position in the saved query's own SQL, when it has one).
import { idParams } from '#shared/ids'
import { sourceErrorPosition } from '../../runs/error-position'
import { toPublicRun } from '../../runs/public'
import { getRun } from '../../runs/read'

export default defineEventHandler(async (event) => {
  const auth = requireRole(event, 'viewer')
  const { id } = readValidParams(event, idParams)
  const run = await getRun(auth.orgId, id)
  return { ...toPublicRun(run), sourceErrorPosition: await sourceErrorPosition(run) }
})
