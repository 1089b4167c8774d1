// The signed-in user's starred queries and dashboards.
import { listFavorites } from '../../favorites/favorites'

export default defineEventHandler((event) => {
  const auth = requireRole(event, 'viewer')
  return listFavorites(auth.orgId, auth.userId)
})
