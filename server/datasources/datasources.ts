// server/datasources owns datasource definitions: create, read, update and delete them
// for one org (this file), the connection test and the cached schema browser
// (connection.ts). The stored password is encrypted and is never returned: the API shape
// says only `hasPassword`. The web process may open connections here for the test and the
// catalog introspection (fixed SQL); it never executes user SQL.
//
// Roles: viewers list datasources (id, name, type: enough to pick one); editors also see
// the connection details (no password) and read schemas; only admins create, change,
// test unsaved configs and delete.
import { and, count, eq } from 'drizzle-orm'
import { createError } from 'h3'
import type { z } from 'zod'
import { datasources, queries, type PostgresDatasourceConfig } from '../../db/schema'
import type { createDatasourceSchema, updateDatasourceSchema } from '#shared/schemas/queries'
import { useConfig } from '../config'
import { encryptSecret } from '../connectors/secrets'
import { useDb } from '../utils/db'
import { logger } from '../utils/logger'
import { findInOrg } from '../utils/org-objects'
import { forgetSchema } from './connection'

export type Datasource = typeof datasources.$inferSelect

export interface PublicDatasource {
  id: string
  name: string
  type: 'postgres'
  config?: PostgresDatasourceConfig
  hasPassword?: boolean
  maxConcurrentRuns?: number
  allowPrivilegedRole?: boolean
  createdAt?: string
  updatedAt?: string
}

/** The API shape: never the password; for viewers only what identifies it. */
export function toPublicDatasource(datasource: Datasource, detailed: boolean): PublicDatasource {
  if (!detailed) return { id: datasource.id, name: datasource.name, type: datasource.type }
  const { host, port, database, user, sslmode } = datasource.config
  return {
    id: datasource.id,
    name: datasource.name,
    type: datasource.type,
    config: { host, port, database, user, sslmode },
    hasPassword: !!datasource.encryptedPassword,
    maxConcurrentRuns: datasource.maxConcurrentRuns,
    allowPrivilegedRole: datasource.allowPrivilegedRole,
    createdAt: datasource.createdAt.toISOString(),
    updatedAt: datasource.updatedAt.toISOString(),
  }
}

export async function listDatasources(orgId: string): Promise<Datasource[]> {
  return useDb().select().from(datasources).where(eq(datasources.orgId, orgId)).orderBy(datasources.name)
}

/** The datasource of this org, or a 404 (another org's id answers the same as an unknown one). */
export async function getDatasource(orgId: string, id: string): Promise<Datasource> {
  return findInOrg('datasource', orgId, id)
}

/** The password's stored form; without TESSERA_SECRET_KEY the server cannot keep one (503, naming the variable). */
function storedPassword(password: string): string {
  if (!useConfig().TESSERA_SECRET_KEY) {
    throw createError({ statusCode: 503, message: 'This server has no TESSERA_SECRET_KEY, so it cannot store datasource passwords: set it and restart' })
  }
  return encryptSecret(password)
}

export async function createDatasource(orgId: string, input: z.infer<typeof createDatasourceSchema>): Promise<Datasource> {
  const { password, ...config } = input.config
  const [created] = await useDb().insert(datasources).values({
    orgId,
    name: input.name,
    type: input.type,
    config,
    encryptedPassword: password ? storedPassword(password) : null,
    maxConcurrentRuns: input.maxConcurrentRuns,
    allowPrivilegedRole: input.allowPrivilegedRole ?? false,
  }).returning()
  if (created!.allowPrivilegedRole) notePrivilegedRoleAllowed(created!, true)
  return created!
}

export async function updateDatasource(orgId: string, id: string, input: z.infer<typeof updateDatasourceSchema>): Promise<Datasource> {
  const existing = await getDatasource(orgId, id)
  const changes: Partial<typeof datasources.$inferInsert> = { updatedAt: new Date() }
  if (input.name !== undefined) changes.name = input.name
  if (input.maxConcurrentRuns !== undefined) changes.maxConcurrentRuns = input.maxConcurrentRuns
  if (input.allowPrivilegedRole !== undefined) changes.allowPrivilegedRole = input.allowPrivilegedRole
  if (input.config) {
    const { password, ...config } = input.config
    changes.config = config
    // absent: keep the stored password; null or '': remove it; a string: replace it
    if (password === null || password === '') changes.encryptedPassword = null
    else if (password !== undefined) changes.encryptedPassword = storedPassword(password)
  }
  const [updated] = await useDb().update(datasources).set(changes)
    .where(and(eq(datasources.id, existing.id), eq(datasources.orgId, orgId))).returning()
  forgetSchema(id)
  if (updated!.allowPrivilegedRole !== existing.allowPrivilegedRole) notePrivilegedRoleAllowed(updated!, updated!.allowPrivilegedRole)
  return updated!
}

/**
 * Allowing a privileged role lets anyone who may run SQL on the datasource act as that
 * role: every change of the setting is logged (and is where an audit record belongs).
 */
function notePrivilegedRoleAllowed(datasource: Datasource, allowed: boolean): void {
  logger.warn(allowed ? 'datasource allows a privileged role' : 'datasource no longer allows a privileged role', { datasourceId: datasource.id, orgId: datasource.orgId })
}

/** Deletes a datasource no query uses; 409 names how many queries still use it. */
export async function deleteDatasource(orgId: string, id: string): Promise<void> {
  const existing = await getDatasource(orgId, id)
  const [usage] = await useDb().select({ count: count() }).from(queries).where(eq(queries.datasourceId, existing.id))
  if (usage && usage.count > 0) {
    throw createError({ statusCode: 409, message: `${usage.count} saved ${usage.count === 1 ? 'query uses' : 'queries use'} this datasource (archived ones included): move or delete them first` })
  }
  await useDb().delete(datasources).where(and(eq(datasources.id, existing.id), eq(datasources.orgId, orgId)))
  forgetSchema(id)
}
