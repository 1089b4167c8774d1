// server/access owns who may reach which datasource's data: the one check every route
// that returns data, SQL or metadata derived from a datasource goes through (this file),
// the objects that lead to a datasource (objects.ts), and groups and grants (groups.ts,
// grants.ts). Org roles decide what a user may do; this decides on which data.
//
// The rules: an org admin reaches every datasource (the `Admin` group passes every
// check). Anyone else reaches a datasource through a grant to `Everyone` (every member)
// or to a named group they belong to, at the highest level granted. A datasource the
// caller reaches at no level answers exactly like an unknown id (the one 404 of
// org-objects.ts); one they may view but not query answers 403 for what needs `query`.
// API tokens act as their user. Access is read from the database on every request, so a
// removed grant or member takes effect on the next one.
import { and, eq, exists, inArray, or, sql, type Column, type SQL } from 'drizzle-orm'
import { createError } from 'h3'
import { datasourceGrants, groupMembers, groups } from '../../db/schema'
import { levelAllows, type GrantLevel } from '#shared/schemas/groups'
import type { AuthContext } from '../auth/sessions'
import { preparedRead } from '../utils/db'
import { notFoundInOrg, type OrgObjectKind } from '../utils/org-objects'

export type AccessSubject = Pick<AuthContext, 'orgId' | 'userId' | 'role'>

/** What one caller reaches: every datasource of the org, or these at these levels. */
export interface DatasourceAccess {
  all: boolean
  levels: ReadonlyMap<string, GrantLevel>
}

/** What admins hold, and what the system acts with where no user asks (a schedule firing, the demo seed). */
export const everyDatasource: DatasourceAccess = { all: true, levels: new Map() }

// one lookup per request: the auth object is made afresh for every request
const resolved = new WeakMap<AccessSubject, Promise<DatasourceAccess>>()

export function datasourceAccess(subject: AccessSubject): Promise<DatasourceAccess> {
  if (subject.role === 'admin') return Promise.resolve(everyDatasource)
  let access = resolved.get(subject)
  if (!access) {
    access = loadGrantedLevels(subject.orgId, subject.userId)
    resolved.set(subject, access)
  }
  return access
}

// asked on every request of a member who is not an admin
const grantedLevels = preparedRead('granted_levels', (db, name) => db.select({
  datasourceId: datasourceGrants.datasourceId,
  canQuery: sql<boolean>`bool_or(${datasourceGrants.level} = 'query')`,
}).from(datasourceGrants)
  .innerJoin(groups, eq(groups.id, datasourceGrants.groupId))
  .where(and(
    eq(groups.orgId, sql.placeholder('orgId')),
    or(
      eq(groups.systemKind, 'everyone'),
      exists(db.select({ one: sql`1` }).from(groupMembers)
        .where(and(eq(groupMembers.groupId, groups.id), eq(groupMembers.userId, sql.placeholder('userId'))))),
    ),
  ))
  .groupBy(datasourceGrants.datasourceId)
  .prepare(name))

async function loadGrantedLevels(orgId: string, userId: string): Promise<DatasourceAccess> {
  const rows = await grantedLevels().execute({ orgId, userId })
  return { all: false, levels: new Map(rows.map(row => [row.datasourceId, row.canQuery ? 'query' : 'view'])) }
}

/** A short text that is equal for two callers exactly when they reach the same datasources at the same levels. */
export function accessFingerprint(access: DatasourceAccess): string {
  if (access.all) return 'all'
  return [...access.levels].map(([datasourceId, level]) => `${datasourceId}=${level}`).sort().join(',')
}

/** The highest level the caller holds on this datasource, or null when it is hidden from them. */
export function levelOn(access: DatasourceAccess, datasourceId: string): GrantLevel | null {
  return access.all ? 'query' : access.levels.get(datasourceId) ?? null
}

export function canReach(access: DatasourceAccess, datasourceId: string, level: GrantLevel = 'view'): boolean {
  const held = levelOn(access, datasourceId)
  return held !== null && levelAllows(held, level)
}

/**
 * Refuses unless the access reaches the datasource at `level`: hidden, the 404 of an
 * unknown `hiddenAs` (the object the caller asked for: a query on a hidden datasource is
 * "Query not found"); visible but below the level, a 403 saying what is missing.
 */
export function assertReach(access: DatasourceAccess, datasourceId: string, level: GrantLevel, hiddenAs: OrgObjectKind = 'datasource'): void {
  const held = levelOn(access, datasourceId)
  if (held === null) notFoundInOrg(hiddenAs)
  if (!levelAllows(held, level)) {
    throw createError({ statusCode: 403, message: 'Your groups may view this datasource\'s results but not query it (ad-hoc SQL, schema, estimates, editing queries): ask an admin for query access' })
  }
}

/** The one check: the caller reaches this datasource at `level`, or the request ends (see assertReach). */
export async function requireDatasourceAccess(subject: AccessSubject, datasourceId: string, level: GrantLevel, hiddenAs: OrgObjectKind = 'datasource'): Promise<DatasourceAccess> {
  const access = await datasourceAccess(subject)
  assertReach(access, datasourceId, level, hiddenAs)
  return access
}

/** A WHERE condition keeping the rows whose datasource column the access reaches (undefined: all of them). */
export function reachableDatasources(access: DatasourceAccess, datasourceColumn: Column): SQL | undefined {
  if (access.all) return undefined
  const ids = [...access.levels.keys()]
  return ids.length === 0 ? sql`false` : inArray(datasourceColumn, ids)
}
