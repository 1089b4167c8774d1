import { idParams } from '#shared/ids'
import { listVersions } from '../../../queries/queries'

export default defineEventHandler(async (event) => {
  const auth = requireRole(event, 'viewer')
  const { id } = readValidParams(event, idParams)
  return listVersions(auth.orgId, id)
})
