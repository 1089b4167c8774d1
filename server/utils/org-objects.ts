// The one rule for "an object of the caller's org, or 404": every route that loads or
// deletes an entity by id goes through here, so another org's id answers exactly like an
// unknown one (same status, same message) and no route invents its own wording.
import { and, eq, sql } from 'drizzle-orm'
import type { H3Event } from 'h3'
import { createError, setResponseStatus } from 'h3'
import { dashboards, datasources, queries, runs, schedules, visualizations } from '../../db/schema'
import { preparedRead, useDb } from './db'

const orgTables = {
  datasource: datasources,
  query: queries,
  run: runs,
  visualization: visualizations,
  dashboard: dashboards,
  schedule: schedules,
}

/** Every kind of object a route can ask for by id; `user` is a member of the org. */
export type OrgObjectKind = keyof typeof orgTables | 'user' | 'token' | 'group' | 'grant'
type OrgRow<K extends keyof typeof orgTables> = (typeof orgTables)[K]['$inferSelect']

const labels: Record<OrgObjectKind, string> = {
  datasource: 'Datasource',
  query: 'Query',
  run: 'Run',
  visualization: 'Visualization',
  dashboard: 'Dashboard',
  schedule: 'Schedule',
  user: 'User',
  token: 'API token',
  group: 'Group',
  grant: 'Grant',
}

/** The one 404 of the API: `{ statusCode: 404, message: "<Kind> not found" }`. */
export function notFoundInOrg(kind: OrgObjectKind): never {
  throw createError({ statusCode: 404, message: `${labels[kind]} not found` })
}

// The tables share `id` and `orgId` columns; drizzle cannot express "any of these
// tables" generically, so the lookups below see the datasource table's shape.
function tableOf(kind: keyof typeof orgTables) {
  return orgTables[kind] as unknown as typeof datasources
}

function prepareFind(kind: keyof typeof orgTables) {
  const table = tableOf(kind)
  return preparedRead(`find_${kind}_in_org`, (db, name) => db.select().from(table)
    .where(and(eq(table.id, sql.placeholder('id')), eq(table.orgId, sql.placeholder('orgId'))))
    .prepare(name))
}

// loaded by nearly every route: one prepared read per kind
const findByKind = Object.fromEntries(Object.keys(orgTables).map(kind => [kind, prepareFind(kind as keyof typeof orgTables)])) as
  Record<keyof typeof orgTables, ReturnType<typeof prepareFind>>

/** The object of this org with this id, or the one 404. */
export async function findInOrg<K extends keyof typeof orgTables>(kind: K, orgId: string, id: string): Promise<OrgRow<K>> {
  const [row] = await findByKind[kind]().execute({ id, orgId })
  if (!row) notFoundInOrg(kind)
  return row as unknown as OrgRow<K>
}

/** Deletes the object of this org with this id, or answers the one 404. */
export async function deleteInOrg(kind: keyof typeof orgTables, orgId: string, id: string): Promise<void> {
  const table = tableOf(kind)
  const deleted = await useDb().delete(table).where(and(eq(table.id, id), eq(table.orgId, orgId))).returning({ id: table.id })
  if (deleted.length === 0) notFoundInOrg(kind)
}

/** The one answer of a successful DELETE: 204 with no body. */
export function deletedResponse(event: H3Event): null {
  setResponseStatus(event, 204)
  return null
}
