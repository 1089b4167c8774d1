// server/queries owns saved queries: create, read, list and search, change (every change
// of what runs — name, datasource, SQL, parameters, options — is a new row in
// query_versions and bumps `version`), archive or delete, versions and restore, clone
// (this file), their run history (history.ts) and query_enum choices (enum-values.ts).
// It never runs SQL: runs go through server/runs/enqueue.ts.
//
// Roles: viewers read (and run, via the runs routes); editors write. Every function that
// lists or writes takes the caller's datasource access (server/access/check.ts): lists
// leave out queries on hidden datasources, and writing a query needs `query` on its
// datasource, since anyone with `view` may then run what it says.
import { and, count, desc, eq, ilike, inArray, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm'
import { createError } from 'h3'
import type { z } from 'zod'
import { datasources, queries, queryVersions, runs, users } from '../../db/schema'
import { placeholderNames } from '#shared/parameters/compile'
import type { ParameterDefinition, ParameterIssue } from '#shared/parameters/types'
import { isEmptyValue, rawValueSchema } from '#shared/parameters/values'
import type { createQuerySchema, listQueriesSchema, updateQuerySchema } from '#shared/schemas/queries'
import { assertReach, canReach, reachableDatasources, type DatasourceAccess } from '../access/check'
import { useDb } from '../utils/db'
import { findInOrg } from '../utils/org-objects'
import { badRequest } from '../utils/validate'

export type Query = typeof queries.$inferSelect

export interface QueryLastRun {
  id: string
  status: string
  queuedAt: string
  finishedAt: string | null
}

export function toPublicQuery(query: Query, extra: { lastRun?: QueryLastRun | null, ownerName?: string | null } = {}) {
  return {
    id: query.id,
    name: query.name,
    description: query.description,
    datasourceId: query.datasourceId,
    sql: query.sql,
    parameters: query.parameters,
    options: query.options,
    tags: query.tags,
    ownerId: query.ownerId,
    ownerName: extra.ownerName ?? null,
    version: query.version,
    archived: query.archivedAt !== null,
    archivedAt: query.archivedAt?.toISOString() ?? null,
    createdAt: query.createdAt.toISOString(),
    updatedAt: query.updatedAt.toISOString(),
    ...(extra.lastRun !== undefined ? { lastRun: extra.lastRun } : {}),
  }
}
export type PublicQuery = ReturnType<typeof toPublicQuery>

/** A query that could never run is refused when saved: placeholders without a parameter, defaults of the wrong type. */
export function checkQueryDefinition(sqlText: string, parameters: readonly ParameterDefinition[]): void {
  const issues: ParameterIssue[] = []
  const defined = new Set(parameters.map(parameter => parameter.name))
  for (const name of placeholderNames(sqlText)) {
    if (!defined.has(name)) issues.push({ path: 'sql', message: `the SQL uses {{${name}}} but there is no parameter named "${name}"` })
  }
  parameters.forEach((parameter, index) => {
    if (isEmptyValue(parameter.default)) return
    const defaults = parameter.multiple && Array.isArray(parameter.default) ? parameter.default : [parameter.default]
    for (const value of defaults) {
      const parsed = rawValueSchema(parameter.type).safeParse(value)
      if (!parsed.success) {
        issues.push({ path: `parameters.${index}.default`, message: `default of "${parameter.name}" ${parsed.error.issues[0]!.message}` })
        break
      }
      if (parameter.type === 'enum' && !parameter.options?.includes(String(value))) {
        issues.push({ path: `parameters.${index}.default`, message: `default of "${parameter.name}" is not one of its options` })
        break
      }
    }
  })
  if (issues.length > 0) badRequest(`Invalid query: ${issues.map(issue => issue.message).join('; ')}`, issues)
}

async function checkDatasource(orgId: string, datasourceId: string, access: DatasourceAccess): Promise<void> {
  const [datasource] = await useDb().select({ id: datasources.id }).from(datasources)
    .where(and(eq(datasources.id, datasourceId), eq(datasources.orgId, orgId)))
  // a hidden datasource is as unknown as a missing one
  if (!datasource || !canReach(access, datasourceId)) badRequest('Invalid request body: datasourceId: no such datasource', [{ path: 'datasourceId', message: 'no such datasource' }])
  assertReach(access, datasourceId, 'query')
}

async function checkEnumSources(orgId: string, parameters: readonly ParameterDefinition[]): Promise<void> {
  const sourceIds = parameters.filter(parameter => parameter.queryId).map(parameter => parameter.queryId!)
  if (sourceIds.length === 0) return
  const found = await useDb().select({ id: queries.id }).from(queries).where(and(eq(queries.orgId, orgId), inArray(queries.id, sourceIds)))
  const foundIds = new Set(found.map(row => row.id))
  const issues = parameters.flatMap((parameter, index) => parameter.queryId && !foundIds.has(parameter.queryId)
    ? [{ path: `parameters.${index}.queryId`, message: 'no such query' }]
    : [])
  if (issues.length > 0) badRequest('Invalid request body: a query_enum parameter names an unknown query', issues)
}

export async function getQuery(orgId: string, id: string): Promise<Query> {
  return findInOrg('query', orgId, id)
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, match => `\\${match}`)
}

export async function listQueries(orgId: string, userId: string, filters: z.infer<typeof listQueriesSchema>, access: DatasourceAccess) {
  const conditions: SQL[] = [eq(queries.orgId, orgId)]
  const reachable = reachableDatasources(access, queries.datasourceId)
  if (reachable) conditions.push(reachable)
  if (filters.q) {
    const pattern = `%${escapeLike(filters.q)}%`
    conditions.push(or(ilike(queries.name, pattern), ilike(queries.sql, pattern), ilike(queries.description, pattern))!)
  }
  // a tag matches by its beginning, whatever the case: typing "fin" finds "Finance"
  if (filters.tag) conditions.push(sql`EXISTS (SELECT 1 FROM unnest(${queries.tags}) AS tag WHERE tag ILIKE ${`${escapeLike(filters.tag)}%`})`)
  if (filters.owner) conditions.push(eq(queries.ownerId, filters.owner === 'me' ? userId : filters.owner))
  if (filters.archived === 'false') conditions.push(isNull(queries.archivedAt))
  if (filters.archived === 'true') conditions.push(isNotNull(queries.archivedAt))
  const where = and(...conditions)
  const db = useDb()
  const [rows, [total]] = await Promise.all([
    db.select({ query: queries, ownerName: users.name }).from(queries).leftJoin(users, eq(users.id, queries.ownerId))
      .where(where).orderBy(desc(queries.updatedAt)).limit(filters.limit).offset(filters.offset),
    db.select({ count: count() }).from(queries).where(where),
  ])
  const lastRuns = await latestRuns(rows.map(row => row.query.id))
  return {
    total: total?.count ?? 0,
    queries: rows.map(row => toPublicQuery(row.query, { ownerName: row.ownerName, lastRun: lastRuns.get(row.query.id) ?? null })),
  }
}

/** The latest run of each query (one index-ordered lookup per query via DISTINCT ON). */
async function latestRuns(queryIds: string[]): Promise<Map<string, QueryLastRun>> {
  if (queryIds.length === 0) return new Map()
  const rows = await useDb().selectDistinctOn([runs.queryId], {
    queryId: runs.queryId, id: runs.id, status: runs.status, queuedAt: runs.queuedAt, finishedAt: runs.finishedAt,
  }).from(runs).where(inArray(runs.queryId, queryIds)).orderBy(runs.queryId, desc(runs.queuedAt))
  return new Map(rows.map(row => [row.queryId!, { id: row.id, status: row.status, queuedAt: row.queuedAt.toISOString(), finishedAt: row.finishedAt?.toISOString() ?? null }]))
}

export async function getQueryWithLastRun(orgId: string, id: string) {
  const query = await getQuery(orgId, id)
  const [owner] = query.ownerId ? await useDb().select({ name: users.name }).from(users).where(eq(users.id, query.ownerId)) : []
  const lastRun = (await latestRuns([id])).get(id) ?? null
  return toPublicQuery(query, { lastRun, ownerName: owner?.name ?? null })
}

/**
 * The one way a query comes into being (the API, clone and the demo seeding): checked,
 * then written with its first version row. `userId` is null for content made by
 * Tessera itself (demo queries on an install whose admin was made later).
 */
export async function createQuery(orgId: string, userId: string | null, input: z.input<typeof createQuerySchema>, access: DatasourceAccess): Promise<Query> {
  await checkDatasource(orgId, input.datasourceId, access)
  checkQueryDefinition(input.sql, input.parameters ?? [])
  await checkEnumSources(orgId, input.parameters ?? [])
  return useDb().transaction(async (tx) => {
    const [query] = await tx.insert(queries).values({
      orgId,
      datasourceId: input.datasourceId,
      name: input.name,
      description: input.description ?? '',
      sql: input.sql,
      parameters: input.parameters ?? [],
      options: input.options ?? {},
      tags: input.tags ?? [],
      ownerId: userId,
    }).returning()
    await tx.insert(queryVersions).values(versionOf(query!, userId))
    return query!
  })
}

function versionOf(query: Query, userId: string | null): typeof queryVersions.$inferInsert {
  return {
    queryId: query.id,
    version: query.version,
    name: query.name,
    datasourceId: query.datasourceId,
    sql: query.sql,
    parameters: query.parameters,
    options: query.options,
    createdBy: userId,
  }
}

type QueryChanges = z.infer<typeof updateQuerySchema>

/** Applies changes; a change of what runs becomes the next version. */
export async function updateQuery(orgId: string, userId: string, id: string, input: QueryChanges, access: DatasourceAccess): Promise<Query> {
  const existing = await getQuery(orgId, id)
  if (input.datasourceId) await checkDatasource(orgId, input.datasourceId, access)
  const nextSql = input.sql ?? existing.sql
  const nextParameters = input.parameters ?? existing.parameters
  if (input.sql !== undefined || input.parameters !== undefined) checkQueryDefinition(nextSql, nextParameters)
  if (input.parameters) await checkEnumSources(orgId, input.parameters)
  const versioned = (['name', 'datasourceId', 'sql', 'parameters', 'options'] as const)
    .some(key => input[key] !== undefined && JSON.stringify(input[key]) !== JSON.stringify(existing[key]))
  return useDb().transaction(async (tx) => {
    // row lock: two concurrent saves get consecutive versions, never the same one
    const [locked] = await tx.select({ version: queries.version }).from(queries).where(eq(queries.id, id)).for('update')
    const [updated] = await tx.update(queries).set({
      name: input.name,
      datasourceId: input.datasourceId,
      sql: input.sql,
      parameters: input.parameters,
      options: input.options,
      description: input.description,
      tags: input.tags,
      ...(input.archived === undefined ? {} : { archivedAt: input.archived ? (existing.archivedAt ?? new Date()) : null }),
      ...(versioned ? { version: locked!.version + 1 } : {}),
      updatedAt: new Date(),
    }).where(and(eq(queries.id, id), eq(queries.orgId, orgId))).returning()
    if (versioned) await tx.insert(queryVersions).values(versionOf(updated!, userId))
    return updated!
  })
}

export async function archiveQuery(orgId: string, id: string): Promise<Query> {
  const existing = await getQuery(orgId, id)
  const [archived] = await useDb().update(queries).set({ archivedAt: existing.archivedAt ?? new Date(), updatedAt: new Date() })
    .where(and(eq(queries.id, id), eq(queries.orgId, orgId))).returning()
  return archived!
}

/** Deletes a query for good (its versions go with it; its runs stay in history without it). */
export async function deleteQuery(orgId: string, id: string): Promise<void> {
  await getQuery(orgId, id)
  try {
    await useDb().delete(queries).where(and(eq(queries.id, id), eq(queries.orgId, orgId)))
  }
  catch (error) {
    // a dashboard tile, visualization or schedule still points at it
    if ((error as { cause?: { code?: string }, code?: string }).cause?.code === '23503' || (error as { code?: string }).code === '23503') {
      throw createError({ statusCode: 409, message: 'Other items (visualizations, dashboards or schedules) still use this query: archive it instead, or remove them first' })
    }
    throw error
  }
}

export type QueryVersion = Awaited<ReturnType<typeof listVersions>>[number]

/** The query's versions, leaving out those written for a datasource hidden from the caller. */
export async function listVersions(orgId: string, id: string, access: DatasourceAccess) {
  await getQuery(orgId, id)
  const rows = await useDb().select({ version: queryVersions, createdByName: users.name }).from(queryVersions)
    .leftJoin(users, eq(users.id, queryVersions.createdBy))
    .where(and(eq(queryVersions.queryId, id), reachableDatasources(access, queryVersions.datasourceId))).orderBy(desc(queryVersions.version))
  return rows.map(({ version, createdByName }) => ({
    version: version.version,
    name: version.name,
    datasourceId: version.datasourceId,
    sql: version.sql,
    parameters: version.parameters,
    options: version.options,
    createdBy: version.createdBy,
    createdByName,
    createdAt: version.createdAt.toISOString(),
  }))
}

/** Makes an old version current again, as a new version (history is never rewritten). */
export async function restoreVersion(orgId: string, userId: string, id: string, version: number, access: DatasourceAccess): Promise<Query> {
  await getQuery(orgId, id)
  const [old] = await useDb().select().from(queryVersions).where(and(eq(queryVersions.queryId, id), eq(queryVersions.version, version)))
  if (!old) throw createError({ statusCode: 404, message: `Version ${version} not found` })
  const [datasource] = await useDb().select({ id: datasources.id }).from(datasources).where(and(eq(datasources.id, old.datasourceId), eq(datasources.orgId, orgId)))
  if (!datasource) throw createError({ statusCode: 409, message: `Version ${version} used a datasource that no longer exists` })
  return updateQuery(orgId, userId, id, {
    name: old.name,
    datasourceId: old.datasourceId,
    sql: old.sql,
    parameters: old.parameters,
    options: old.options,
  }, access)
}

export async function cloneQuery(orgId: string, userId: string, id: string, access: DatasourceAccess, name?: string): Promise<Query> {
  const source = await getQuery(orgId, id)
  return createQuery(orgId, userId, {
    name: name ?? `Copy of ${source.name}`.slice(0, 300),
    datasourceId: source.datasourceId,
    sql: source.sql,
    description: source.description,
    tags: source.tags,
    parameters: source.parameters,
    options: source.options,
  }, access)
}
