// Saved queries and every version of them. `parameters` and `options` follow the zod
// schemas in shared/schemas/queries.ts; the SQL holds {{name}} placeholders.
import { index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core'
import type { ParameterDefinition } from '../../shared/parameters/types'
import type { RunOptions } from '../../shared/schemas/queries'
import { orgs, users } from './auth'
import { datasources } from './datasources'

export const queries = pgTable('queries', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  datasourceId: uuid('datasource_id').notNull().references(() => datasources.id, { onDelete: 'restrict' }),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  sql: text('sql').notNull(),
  parameters: jsonb('parameters').$type<ParameterDefinition[]>().notNull().default([]),
  options: jsonb('options').$type<RunOptions>().notNull().default({}),
  tags: text('tags').array().notNull().default([]),
  ownerId: uuid('owner_id').references(() => users.id, { onDelete: 'set null' }),
  version: integer('version').notNull().default(1),
  archivedAt: timestamp('archived_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, table => [index('queries_org_idx').on(table.orgId, table.updatedAt)])

export const queryVersions = pgTable('query_versions', {
  id: uuid('id').primaryKey().defaultRandom(),
  queryId: uuid('query_id').notNull().references(() => queries.id, { onDelete: 'cascade' }),
  version: integer('version').notNull(),
  name: text('name').notNull(),
  datasourceId: uuid('datasource_id').notNull(),
  sql: text('sql').notNull(),
  parameters: jsonb('parameters').$type<ParameterDefinition[]>().notNull(),
  options: jsonb('options').$type<RunOptions>().notNull(),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, table => [unique('query_versions_query_version_key').on(table.queryId, table.version)])
