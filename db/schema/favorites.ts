// Favorites: a user's starred queries and dashboards, listed on the home page. One row per
// (user, object); exactly one of queryId / dashboardId is set, and the star goes away with
// the user or the object.
import { sql } from 'drizzle-orm'
import { check, index, pgTable, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { orgs, users } from './auth'
import { dashboards } from './dashboards'
import { queries } from './queries'

export const favorites = pgTable('favorites', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  queryId: uuid('query_id').references(() => queries.id, { onDelete: 'cascade' }),
  dashboardId: uuid('dashboard_id').references(() => dashboards.id, { onDelete: 'cascade' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, table => [
  uniqueIndex('favorites_user_query_idx').on(table.userId, table.queryId),
  uniqueIndex('favorites_user_dashboard_idx').on(table.userId, table.dashboardId),
  index('favorites_user_idx').on(table.userId, table.createdAt),
  check('favorites_one_target', sql`(${table.queryId} IS NULL) <> (${table.dashboardId} IS NULL)`),
])
