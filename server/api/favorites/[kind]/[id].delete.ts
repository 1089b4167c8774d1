// Removes the signed-in user's star from a query or a dashboard.
import { favoriteParams } from '#shared/schemas/favorites'
import { unstarFavorite } from '../../../favorites/favorites'
import { deletedResponse } from '../../../utils/org-objects'
import { datasourceAccess } from '../../../access/check'

export default defineEventHandler(async (event) => {
  const auth = requireRole(event, 'viewer')
  const { kind, id } = readValidParams(event, favoriteParams)
  await unstarFavorite(auth.orgId, auth.userId, kind, id, await datasourceAccess(auth))
  return deletedResponse(event)
})
