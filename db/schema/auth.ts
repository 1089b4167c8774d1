// Orgs, users, their roles in an org, browser sessions, API tokens and the login
// attempts behind the rate limit (the audit log has its own file). Secrets are never
// stored: sessions and tokens keep only the SHA-256 of the value the client holds,
// users only an argon2id hash.
import { index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { roles } from '../../shared/roles'
import type { ApiTokenScope } from '../../shared/schemas/tokens'

export const roleEnum = pgEnum('org_role', roles)

export const orgs = pgTable('orgs', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  timezone: text('timezone').notNull().default('UTC'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})

export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  passwordHash: text('password_hash').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})

export const memberships = pgTable('memberships', {
  orgId: uuid('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  role: roleEnum('role').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, table => [primaryKey({ columns: [table.orgId, table.userId] })])

export const sessions = pgTable('sessions', {
  // hex SHA-256 of the token in the cookie; the token itself is never stored
  id: text('id').primaryKey(),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  orgId: uuid('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, table => [index('sessions_user_idx').on(table.userId)])

export const apiTokens = pgTable('api_tokens', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  // `read` tokens may only GET/HEAD; `write` tokens may do what their role allows
  scope: text('scope').$type<ApiTokenScope>().notNull().default('write'),
  // the owner's role when the token was made: the token never acts above it, and stops
  // working if the owner is later demoted below it
  role: roleEnum('role').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
}, table => [index('api_tokens_user_idx').on(table.orgId, table.userId)])

// One row per thing sign-in attempts are counted for: an account tried from one client
// address (`account:<email> from <address>`), or a client address across every account
// (`address:<address>`). A row is updated by one INSERT … ON CONFLICT that increments and
// answers in the same statement, so concurrent attempts cannot all slip under the limit.
export const loginThrottles = pgTable('login_throttles', {
  key: text('key').primaryKey(),
  // attempts since the last success or the last long quiet spell, failed or still in flight
  attempts: integer('attempts').notNull(),
  lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }).notNull().defaultNow(),
}, table => [index('login_throttles_last_attempt_idx').on(table.lastAttemptAt)])
