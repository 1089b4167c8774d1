// Favorites: what a user starred (queries and dashboards of their org), for the home page's
// starred list and the star buttons. Starring twice is one star; an object of another org
// is "not found", never starred; so is a query on a datasource hidden from the user, and
// such a query drops out of their starred list (its star stays, for when access returns).
import { and, desc, eq } from 'drizzle-orm'
import { dashboards, favorites, queries } from '../../db/schema'
import type { FavoriteKind } from '#shared/schemas/favorites'
import { assertReach, reachableDatasources, type DatasourceAccess } from '../access/check'
import { useDb } from '../utils/db'
import { findInOrg } from '../utils/org-objects'

async function requireTarget(orgId: string, kind: FavoriteKind, id: string, access: DatasourceAccess) {
  if (kind === 'dashboards') await findInOrg('dashboard', orgId, id)
  else assertReach(access, (await findInOrg('query', orgId, id)).datasourceId, 'view', 'query')
}

export async function starFavorite(orgId: string, userId: string, kind: FavoriteKind, id: string, access: DatasourceAccess) {
  await requireTarget(orgId, kind, id, access)
  await useDb().insert(favorites)
    .values({ orgId, userId, ...(kind === 'queries' ? { queryId: id } : { dashboardId: id }) })
    .onConflictDoNothing()
  return { starred: true }
}

export async function unstarFavorite(orgId: string, userId: string, kind: FavoriteKind, id: string, access: DatasourceAccess): Promise<void> {
  await requireTarget(orgId, kind, id, access)
  await useDb().delete(favorites)
    .where(and(eq(favorites.userId, userId), eq(kind === 'queries' ? favorites.queryId : favorites.dashboardId, id)))
}

/** The user's starred queries and dashboards in this org, most recently starred first. */
export async function listFavorites(orgId: string, userId: string, access: DatasourceAccess) {
  const db = useDb()
  const mine = and(eq(favorites.userId, userId), eq(favorites.orgId, orgId))
  const [starredQueries, starredDashboards] = await Promise.all([
    db.select({ id: queries.id, name: queries.name, archivedAt: queries.archivedAt }).from(favorites)
      .innerJoin(queries, eq(queries.id, favorites.queryId)).where(and(mine, reachableDatasources(access, queries.datasourceId))).orderBy(desc(favorites.createdAt)),
    db.select({ id: dashboards.id, name: dashboards.name }).from(favorites)
      .innerJoin(dashboards, eq(dashboards.id, favorites.dashboardId)).where(mine).orderBy(desc(favorites.createdAt)),
  ])
  return {
    queries: starredQueries.map(query => ({ id: query.id, name: query.name, archived: query.archivedAt !== null })),
    dashboards: starredDashboards,
  }
}
