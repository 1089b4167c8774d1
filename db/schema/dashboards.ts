// Visualizations (rendering configs of a query's result, several per query) and
// dashboards (a grid of tiles with filters bound onto tile parameters). Tile layout and
// filters are jsonb shaped by shared/schemas/dashboards.ts: a dashboard is always read
// and written whole, so a side table would only add joins.
import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import type { DashboardFilter, DashboardTile } from '../../shared/schemas/dashboards'
import type { VisualizationType } from '../../shared/schemas/visualizations'
import { orgs, users } from './auth'
import { queries } from './queries'

export const visualizations = pgTable('visualizations', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  queryId: uuid('query_id').notNull().references(() => queries.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  type: text('type').$type<VisualizationType>().notNull(),
  config: jsonb('config').$type<Record<string, unknown>>().notNull().default({}),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, table => [index('visualizations_query_idx').on(table.queryId)])

export const dashboards = pgTable('dashboards', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  filters: jsonb('filters').$type<DashboardFilter[]>().notNull().default([]),
  tiles: jsonb('tiles').$type<DashboardTile[]>().notNull().default([]),
  // 0 = no auto-refresh
  refreshIntervalSeconds: integer('refresh_interval_seconds').notNull().default(0),
  ownerId: uuid('owner_id').references(() => users.id, { onDelete: 'set null' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, table => [index('dashboards_org_idx').on(table.orgId, table.updatedAt)])
