import { idParams } from '../../../shared/ids'
import { toPublicRun } from '../../runs/public'
import { getRun } from '../../runs/read'

export default defineEventHandler(async (event) => {
  const auth = requireRole(event, 'viewer')
  const { id } = readValidParams(event, idParams)
  return toPublicRun(await getRun(auth.orgId, id))
})
