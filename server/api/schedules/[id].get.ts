// One schedule; one of a query on a datasource hidden from the caller is a 404.
import { idParams } from '#shared/ids'
import { requireScheduleAccess } from '../../access/objects'

export default defineEventHandler(async (event) => {
  const auth = requireRole(event, 'viewer')
  const { id } = readValidParams(event, idParams)
  return requireScheduleAccess(auth, id)
})
