// Groups and datasource grants: which datasources' data each member of an org may reach.
// Org roles decide what a user may do; groups decide on which datasources' data.
// Every org has two system groups, made by a trigger on `orgs` (see the migration that
// adds these tables) so an org gets them however it is inserted: `Admin` (the members
// whose org role is admin; it passes every check, so it holds no grants) and `Everyone`
// (every member of the org). Neither lists members: theirs follow the memberships.
// Named groups list theirs in group_members, which go with the membership, so a user
// removed from the org and added again starts with no named groups.
import { sql } from 'drizzle-orm'
import { check, foreignKey, index, pgTable, primaryKey, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import type { GrantLevel, GroupSystemKind } from '../../shared/schemas/groups'
import { memberships, orgs } from './auth'
import { datasources } from './datasources'

export const groups = pgTable('groups', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  // set on the two built-in groups only
  systemKind: text('system_kind').$type<GroupSystemKind>(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, table => [
  // "Finance" and "finance" would be two groups no admin could tell apart
  uniqueIndex('groups_org_name_idx').on(table.orgId, sql`lower(${table.name})`),
  uniqueIndex('groups_org_system_kind_idx').on(table.orgId, table.systemKind).where(sql`${table.systemKind} IS NOT NULL`),
  // lets group_members name the group's org, so a member is always of the group's org
  unique('groups_id_org_key').on(table.id, table.orgId),
  check('groups_system_kind_check', sql`${table.systemKind} IS NULL OR ${table.systemKind} IN ('admin', 'everyone')`),
])

export const groupMembers = pgTable('group_members', {
  groupId: uuid('group_id').notNull(),
  orgId: uuid('org_id').notNull(),
  userId: uuid('user_id').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, table => [
  primaryKey({ columns: [table.groupId, table.userId] }),
  foreignKey({ columns: [table.groupId, table.orgId], foreignColumns: [groups.id, groups.orgId] }).onDelete('cascade'),
  foreignKey({ columns: [table.orgId, table.userId], foreignColumns: [memberships.orgId, memberships.userId] }).onDelete('cascade'),
  index('group_members_user_idx').on(table.orgId, table.userId),
])

export const datasourceGrants = pgTable('datasource_grants', {
  groupId: uuid('group_id').notNull().references(() => groups.id, { onDelete: 'cascade' }),
  datasourceId: uuid('datasource_id').notNull().references(() => datasources.id, { onDelete: 'cascade' }),
  level: text('level').$type<GrantLevel>().notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, table => [
  primaryKey({ columns: [table.groupId, table.datasourceId] }),
  index('datasource_grants_datasource_idx').on(table.datasourceId),
  check('datasource_grants_level_check', sql`${table.level} IN ('view', 'query')`),
])
