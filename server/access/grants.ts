// Grants of a datasource to groups: `view` or `query`, at most one per (group,
// datasource). The Admin group passes every check and takes no grants. A new datasource
// has none, so only admins reach it until one is granted; the demo's is granted `query`
// to Everyone when it is seeded.
import { and, asc, eq } from 'drizzle-orm'
import { createError } from 'h3'
import { datasourceGrants, groups } from '../../db/schema'
import type { GrantLevel, GroupSystemKind } from '#shared/schemas/groups'
import { useDb } from '../utils/db'
import { findInOrg, notFoundInOrg } from '../utils/org-objects'
import { getGroup } from './groups'

/** Every group granted this datasource, with its level. */
export async function listDatasourceGrants(orgId: string, datasourceId: string) {
  await findInOrg('datasource', orgId, datasourceId)
  const rows = await useDb().select({ groupId: groups.id, groupName: groups.name, systemKind: groups.systemKind, level: datasourceGrants.level })
    .from(datasourceGrants)
    .innerJoin(groups, eq(groups.id, datasourceGrants.groupId))
    .where(and(eq(datasourceGrants.datasourceId, datasourceId), eq(groups.orgId, orgId)))
    .orderBy(asc(groups.name))
  return rows.map(row => ({ ...row, datasourceId, systemKind: row.systemKind as GroupSystemKind | null }))
}

async function requireDatasourceAndGroup(orgId: string, datasourceId: string, groupId: string) {
  await findInOrg('datasource', orgId, datasourceId)
  return getGroup(orgId, groupId)
}

export async function getDatasourceGrant(orgId: string, datasourceId: string, groupId: string) {
  const group = await requireDatasourceAndGroup(orgId, datasourceId, groupId)
  const [grant] = await useDb().select({ level: datasourceGrants.level }).from(datasourceGrants)
    .where(and(eq(datasourceGrants.datasourceId, datasourceId), eq(datasourceGrants.groupId, group.id)))
  if (!grant) notFoundInOrg('grant')
  return { datasourceId, groupId, level: grant.level }
}

/** Grants (or changes the level of) a group's access to a datasource. */
export async function setDatasourceGrant(orgId: string, datasourceId: string, groupId: string, level: GrantLevel) {
  const group = await requireDatasourceAndGroup(orgId, datasourceId, groupId)
  if (group.systemKind === 'admin') {
    throw createError({ statusCode: 409, message: 'The Admin group already reaches every datasource; grant another group instead' })
  }
  await useDb().insert(datasourceGrants).values({ groupId: group.id, datasourceId, level })
    .onConflictDoUpdate({ target: [datasourceGrants.groupId, datasourceGrants.datasourceId], set: { level } })
  return { datasourceId, groupId, level }
}

/** Grants every member of the org `level` on a datasource (the demo's, made before anyone could ask an admin). */
export async function grantToEveryone(orgId: string, datasourceId: string, level: GrantLevel): Promise<void> {
  const [everyone] = await useDb().select({ id: groups.id }).from(groups).where(and(eq(groups.orgId, orgId), eq(groups.systemKind, 'everyone')))
  await useDb().insert(datasourceGrants).values({ groupId: everyone!.id, datasourceId, level })
    .onConflictDoUpdate({ target: [datasourceGrants.groupId, datasourceGrants.datasourceId], set: { level } })
}

/** Revokes a grant; from the group members' next request on, the datasource is hidden unless another grant reaches them. */
export async function removeDatasourceGrant(orgId: string, datasourceId: string, groupId: string): Promise<void> {
  const group = await requireDatasourceAndGroup(orgId, datasourceId, groupId)
  const removed = await useDb().delete(datasourceGrants)
    .where(and(eq(datasourceGrants.datasourceId, datasourceId), eq(datasourceGrants.groupId, group.id)))
    .returning({ groupId: datasourceGrants.groupId })
  if (removed.length === 0) notFoundInOrg('grant')
}
