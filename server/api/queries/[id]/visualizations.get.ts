// A query's visualizations; a query on a datasource hidden from the caller is a 404.
import { idParams } from '#shared/ids'
import { requireQueryAccess } from '../../../access/objects'
import { listVisualizations } from '../../../dashboards/visualizations'

export default defineEventHandler(async (event) => {
  const auth = requireRole(event, 'viewer')
  const { id } = readValidParams(event, idParams)
  await requireQueryAccess(auth, id, 'view')
  return listVisualizations(auth.orgId, id)
})
