import { dashboards } from '../../../db/schema'
import { newDashboardBody } from '#shared/schemas/dashboards'
import { datasourceAccess } from '../../access/check'
import { checkTileVisualizations } from '../../dashboards/write'

export default defineEventHandler(async (event) => {
  const auth = requireCan(event, 'dashboard:write')
  const body = await readValidBody(event, newDashboardBody)
  const tiles = await checkTileVisualizations(auth.orgId, body.tiles, await datasourceAccess(auth))
  const [created] = await useDb().insert(dashboards).values({ ...body, tiles, orgId: auth.orgId, ownerId: auth.userId }).returning()
  setResponseStatus(event, 201)
  return created
})
