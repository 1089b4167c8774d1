// Datasources: where user SQL runs. The password is stored only encrypted
// (AES-256-GCM, server/connectors/secrets.ts) and never returned by the API.
import { boolean, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { orgs } from './auth'

export interface PostgresDatasourceConfig {
  host: string
  port: number
  database: string
  user: string
  sslmode: 'disable' | 'prefer' | 'require' | 'verify-full'
}

export const datasources = pgTable('datasources', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  type: text('type').$type<'postgres'>().notNull(),
  config: jsonb('config').$type<PostgresDatasourceConfig>().notNull(),
  encryptedPassword: text('encrypted_password'),
  // runs of this datasource executing at once, across every worker process
  maxConcurrentRuns: integer('max_concurrent_runs').notNull().default(4),
  // runs go ahead even when the role is a superuser or may run programs or touch server
  // files: an admin's explicit, visible exception (the connector refuses such roles otherwise)
  allowPrivilegedRole: boolean('allow_privileged_role').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
})
