import { idParams } from '#shared/ids'
import { getQueryWithLastRun } from '../../queries/queries'

export default defineEventHandler(async (event) => {
  const auth = requireRole(event, 'viewer')
  const { id } = readValidParams(event, idParams)
  return getQueryWithLastRun(auth.orgId, id)
})
