// Removes the signed-in user's star from a query or a dashboard.
import { favoriteParams } from '#shared/schemas/favorites'
import { unstarFavorite } from '../../../favorites/favorites'

export default defineEventHandler((event) => {
  const auth = requireRole(event, 'viewer')
  const { kind, id } = readValidParams(event, favoriteParams)
  return unstarFavorite(auth.orgId, auth.userId, kind, id)
})
