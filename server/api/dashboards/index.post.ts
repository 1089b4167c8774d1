import { dashboards } from '../../../db/schema'
import { newDashboardBody } from '#shared/schemas/dashboards'
import { checkTileVisualizations } from '../../dashboards/write'

export default defineEventHandler(async (event) => {
  const { orgId, userId } = requireCan(event, 'dashboard:write')
  const body = await readValidBody(event, newDashboardBody)
  const tiles = await checkTileVisualizations(orgId, body.tiles)
  const [created] = await useDb().insert(dashboards).values({ ...body, tiles, orgId, ownerId: userId }).returning()
  setResponseStatus(event, 201)
  return created
})
