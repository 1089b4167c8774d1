// Live worker processes: each one upserts its row every few seconds, so the web can say
// "no worker has been seen for a minute" to every user and list workers to admins.
import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core'

export const workerHeartbeats = pgTable('worker_heartbeats', {
  workerId: text('worker_id').primaryKey(),
  hostname: text('hostname').notNull(),
  pid: integer('pid').notNull(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
})
