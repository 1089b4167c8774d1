import { desc, eq } from 'drizzle-orm'
import { dashboards } from '../../../db/schema'

export default defineEventHandler(async (event) => {
  const { orgId } = requireRole(event, 'viewer')
  const rows = await useDb().select({
    id: dashboards.id,
    name: dashboards.name,
    description: dashboards.description,
    tiles: dashboards.tiles,
    updatedAt: dashboards.updatedAt,
  }).from(dashboards).where(eq(dashboards.orgId, orgId)).orderBy(desc(dashboards.updatedAt))
  return rows.map(({ tiles, ...row }) => ({ ...row, tileCount: tiles.length }))
})
