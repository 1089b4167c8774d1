// Asks for a run to stop. Viewers may cancel the runs they started; editors any run.
import { idParams } from '#shared/ids'
import { can } from '#shared/roles'
import { requestRunCancel } from '../../../runs/cancel'
import { toPublicRun } from '../../../runs/public'
import { requireRunAccess } from '../../../access/objects'

export default defineEventHandler(async (event) => {
  const auth = requireRole(event, 'viewer')
  const { id } = readValidParams(event, idParams)
  const run = await requireRunAccess(auth, id)
  if (!can(auth.role, 'run:cancel-any') && run.triggeredBy !== auth.userId) {
    throw createError({ statusCode: 403, message: 'Viewers may cancel only the runs they started' })
  }
  const current = await requestRunCancel(auth.orgId, id)
  return toPublicRun(current ?? run)
})
