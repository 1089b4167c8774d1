// Stars a query or a dashboard for the signed-in user (again: still one star).
import { favoriteParams } from '#shared/schemas/favorites'
import { starFavorite } from '../../../favorites/favorites'
import { datasourceAccess } from '../../../access/check'

export default defineEventHandler(async (event) => {
  const auth = requireRole(event, 'viewer')
  const { kind, id } = readValidParams(event, favoriteParams)
  return starFavorite(auth.orgId, auth.userId, kind, id, await datasourceAccess(auth))
})
