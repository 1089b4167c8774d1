// One visualization; one of a query on a datasource hidden from the caller is a 404.
import { idParams } from '#shared/ids'
import { requireVisualizationAccess } from '../../access/objects'

export default defineEventHandler(async (event) => {
  const auth = requireRole(event, 'viewer')
  const { id } = readValidParams(event, idParams)
  return requireVisualizationAccess(auth, id)
})
