// The audit log: one append-only row per action a user, API token or schedule took.
// Rows outlive what they name (users, tokens, even orgs), so ids are kept as plain
// values without foreign keys: a cascade would be an UPDATE or DELETE, and a trigger
// (see the migration that adds it) refuses both except for the retention job.
import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import type { AuditActorType, AuditOutcome } from '../../shared/schemas/audit'

export const auditLog = pgTable('audit_log', {
  id: uuid('id').primaryKey().defaultRandom(),
  // null only for a failed sign-in with an email no org knows
  orgId: uuid('org_id'),
  actorType: text('actor_type').$type<AuditActorType>().notNull().default('user'),
  // the person behind the action: the user, or the owner of the token; null for schedules and unknown emails
  userId: uuid('user_id'),
  apiTokenId: uuid('api_token_id'),
  scheduleId: uuid('schedule_id'),
  action: text('action').notNull(),
  targetType: text('target_type'),
  targetId: text('target_id'),
  outcome: text('outcome').$type<AuditOutcome>().notNull().default('success'),
  clientAddress: text('client_address'),
  durationMs: integer('duration_ms'),
  // what else the action needs to be understood (a run's trigger and parameter hash, an
  // export's format, the email a failed sign-in tried); never secrets or parameter values
  details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, table => [
  index('audit_log_org_idx').on(table.orgId, table.createdAt),
  index('audit_log_created_idx').on(table.createdAt),
])
