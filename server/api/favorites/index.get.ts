// The signed-in user's starred queries and dashboards.
import { listFavorites } from '../../favorites/favorites'
import { datasourceAccess } from '../../access/check'

export default defineEventHandler(async (event) => {
  const auth = requireRole(event, 'viewer')
  return listFavorites(auth.orgId, auth.userId, await datasourceAccess(auth))
})
