// Schedules (a cron + timezone rule refreshing a query or a dashboard) and their
// firings. UNIQUE(schedule_id, due_at) is what makes "exactly once per due time" hold
// across any number of worker processes: a second claim of the same slot cannot insert.
import { sql } from 'drizzle-orm'
import { boolean, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core'
import type { FiringStatus } from '../../shared/schedules'
import { orgs, users } from './auth'
import { dashboards } from './dashboards'
import { queries } from './queries'

export const schedules = pgTable('schedules', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  // exactly one of the two targets is set
  queryId: uuid('query_id').references(() => queries.id, { onDelete: 'cascade' }),
  dashboardId: uuid('dashboard_id').references(() => dashboards.id, { onDelete: 'cascade' }),
  cron: text('cron').notNull(),
  timezone: text('timezone').notNull(),
  // fixed parameter values for a query schedule
  params: jsonb('params').$type<Record<string, unknown>>().notNull().default({}),
  enabled: boolean('enabled').notNull().default(true),
  // the slot the schedule waits for; always in the future after a firing
  nextFireAt: timestamp('next_fire_at', { withTimezone: true }).notNull(),
  lastFiredAt: timestamp('last_fired_at', { withTimezone: true }),
  lastStatus: text('last_status').$type<FiringStatus>(),
  // runs of the latest firing: while one is queued or running, the next firing is skipped
  lastRunIds: uuid('last_run_ids').array().notNull().default(sql`'{}'::uuid[]`),
  failureStreak: integer('failure_streak').notNull().default(0),
  lastError: text('last_error'),
  lastErrorAt: timestamp('last_error_at', { withTimezone: true }),
  // why the slot after the due one could not be computed: the schedule then stays due,
  // shows as failing, and every tick tries again; null once a next slot is known
  nextFireError: text('next_fire_error'),
  nextFireErrorAt: timestamp('next_fire_error_at', { withTimezone: true }),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, table => [
  index('schedules_org_idx').on(table.orgId, table.createdAt),
  index('schedules_due_idx').on(table.nextFireAt).where(sql`${table.enabled}`),
  index('schedules_query_idx').on(table.queryId),
  index('schedules_dashboard_idx').on(table.dashboardId),
])

export const scheduleFirings = pgTable('schedule_firings', {
  id: uuid('id').primaryKey().defaultRandom(),
  scheduleId: uuid('schedule_id').notNull().references(() => schedules.id, { onDelete: 'cascade' }),
  orgId: uuid('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
  firedAt: timestamp('fired_at', { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
  status: text('status').$type<FiringStatus>().notNull(),
  // why a firing was skipped or failed
  reason: text('reason'),
  // slots that passed while no worker was running; fired once, as this firing
  missedSlots: integer('missed_slots').notNull().default(0),
  runIds: uuid('run_ids').array().notNull().default(sql`'{}'::uuid[]`),
}, table => [
  unique('schedule_firings_slot_key').on(table.scheduleId, table.dueAt),
  index('schedule_firings_schedule_idx').on(table.scheduleId, table.firedAt),
  index('schedule_firings_open_idx').on(table.status).where(sql`${table.status} IN ('pending', 'running')`),
])
