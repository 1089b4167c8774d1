// Groups of an org and their members. `Admin` and `Everyone` are made with the org (a
// trigger on orgs), never renamed or deleted, and list no members of their own: Admin's
// are the org's admins (change their role on the users page), Everyone's every member.
// Named groups are made, renamed and deleted by admins, who add and remove their members.
import { and, asc, count, eq, sql } from 'drizzle-orm'
import { createError } from 'h3'
import { datasourceGrants, datasources, groupMembers, groups, memberships, users } from '../../db/schema'
import type { GroupDetailView, GroupGrantView, GroupMemberView, GroupSystemKind, GroupView } from '#shared/schemas/groups'
import { useDb } from '../utils/db'
import { notFoundInOrg } from '../utils/org-objects'

export type Group = typeof groups.$inferSelect


function isUniqueViolation(error: unknown): boolean {
  const failure = error as { code?: string, cause?: { code?: string } }
  return failure.code === '23505' || failure.cause?.code === '23505'
}

function nameTaken(name: string): never {
  throw createError({ statusCode: 409, message: `A group named "${name}" already exists`, data: { issues: [{ path: 'name', message: 'is already taken' }] } })
}

function refuseSystemGroup(group: Group, change: string): never {
  const why = group.systemKind === 'admin'
    ? 'its members are the org\'s admins: change a user\'s role on the Users page'
    : 'its members are every member of the org'
  throw createError({ statusCode: 409, message: `${group.name} is a built-in group and cannot ${change}: ${why}` })
}

export async function getGroup(orgId: string, groupId: string): Promise<Group> {
  const [group] = await useDb().select().from(groups).where(and(eq(groups.id, groupId), eq(groups.orgId, orgId)))
  if (!group) notFoundInOrg('group')
  return group
}

/** The group's members: listed for a named group, implied by the memberships for the built-in ones. */
async function membersOf(group: Group): Promise<GroupMemberView[]> {
  const columns = { id: users.id, email: users.email, name: users.name, role: memberships.role }
  const inOrg = eq(memberships.orgId, group.orgId)
  const db = useDb()
  if (group.systemKind === 'everyone') {
    return db.select(columns).from(memberships).innerJoin(users, eq(users.id, memberships.userId)).where(inOrg).orderBy(asc(users.email))
  }
  if (group.systemKind === 'admin') {
    return db.select(columns).from(memberships).innerJoin(users, eq(users.id, memberships.userId))
      .where(and(inOrg, eq(memberships.role, 'admin'))).orderBy(asc(users.email))
  }
  return db.select(columns).from(groupMembers)
    .innerJoin(memberships, and(eq(memberships.orgId, groupMembers.orgId), eq(memberships.userId, groupMembers.userId)))
    .innerJoin(users, eq(users.id, groupMembers.userId))
    .where(eq(groupMembers.groupId, group.id)).orderBy(asc(users.email))
}

async function grantsOf(orgId: string, groupId?: string): Promise<(GroupGrantView & { groupId: string })[]> {
  return useDb().select({ groupId: datasourceGrants.groupId, datasourceId: datasources.id, datasourceName: datasources.name, level: datasourceGrants.level })
    .from(datasourceGrants)
    .innerJoin(datasources, eq(datasources.id, datasourceGrants.datasourceId))
    .where(and(eq(datasources.orgId, orgId), groupId ? eq(datasourceGrants.groupId, groupId) : undefined))
    .orderBy(asc(datasources.name))
}

function toPublicGroup(group: Group, memberCount: number, grants: GroupGrantView[]): GroupView {
  return {
    id: group.id,
    name: group.name,
    systemKind: group.systemKind as GroupSystemKind | null,
    // the built-in groups' members follow the memberships; they cannot be added or removed here
    implicitMembers: group.systemKind !== null,
    memberCount,
    grants,
    createdAt: group.createdAt.toISOString(),
  }
}

/** Every group of the org, built-in ones first, with member counts and grants. */
export async function listGroups(orgId: string): Promise<GroupView[]> {
  const db = useDb()
  const [rows, named, [roleCounts], grants] = await Promise.all([
    db.select().from(groups).where(eq(groups.orgId, orgId))
      .orderBy(sql`${groups.systemKind} IS NULL`, asc(groups.systemKind), asc(sql`lower(${groups.name})`)),
    db.select({ groupId: groupMembers.groupId, members: count() }).from(groupMembers).where(eq(groupMembers.orgId, orgId)).groupBy(groupMembers.groupId),
    db.select({ all: count(), admins: sql<number>`count(*) FILTER (WHERE ${memberships.role} = 'admin')::int` }).from(memberships).where(eq(memberships.orgId, orgId)),
    grantsOf(orgId),
  ])
  const namedCounts = new Map(named.map(row => [row.groupId, row.members]))
  return rows.map((group) => {
    const memberCount = group.systemKind === 'everyone' ? roleCounts!.all : group.systemKind === 'admin' ? roleCounts!.admins : namedCounts.get(group.id) ?? 0
    const groupGrants = grants.filter(grant => grant.groupId === group.id).map(({ groupId: _groupId, ...grant }) => grant)
    return toPublicGroup(group, memberCount, groupGrants)
  })
}

/** One group with its members and grants. */
export async function groupDetail(orgId: string, groupId: string): Promise<GroupDetailView> {
  const group = await getGroup(orgId, groupId)
  const [members, grants] = await Promise.all([membersOf(group), grantsOf(orgId, group.id)])
  return { ...toPublicGroup(group, members.length, grants.map(({ groupId: _groupId, ...grant }) => grant)), members }
}

export async function createGroup(orgId: string, name: string): Promise<GroupView> {
  try {
    const [group] = await useDb().insert(groups).values({ orgId, name }).returning()
    return toPublicGroup(group!, 0, [])
  }
  catch (error) {
    if (isUniqueViolation(error)) nameTaken(name)
    throw error
  }
}

export async function renameGroup(orgId: string, groupId: string, name: string): Promise<GroupDetailView> {
  const group = await getGroup(orgId, groupId)
  if (group.systemKind) refuseSystemGroup(group, 'be renamed')
  try {
    await useDb().update(groups).set({ name }).where(and(eq(groups.id, group.id), eq(groups.orgId, orgId)))
  }
  catch (error) {
    if (isUniqueViolation(error)) nameTaken(name)
    throw error
  }
  return groupDetail(orgId, groupId)
}

/** Deletes a named group; its members and grants go with it. */
export async function deleteGroup(orgId: string, groupId: string): Promise<void> {
  const group = await getGroup(orgId, groupId)
  if (group.systemKind) refuseSystemGroup(group, 'be deleted')
  await useDb().delete(groups).where(and(eq(groups.id, group.id), eq(groups.orgId, orgId)))
}

async function requireNamedGroupAndMember(orgId: string, groupId: string, userId: string): Promise<Group> {
  const group = await getGroup(orgId, groupId)
  if (group.systemKind) refuseSystemGroup(group, 'have members added or removed')
  const [member] = await useDb().select({ userId: memberships.userId }).from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)))
  if (!member) notFoundInOrg('user')
  return group
}

/** Adds a member of the org to a named group (adding twice is one membership). */
export async function addGroupMember(orgId: string, groupId: string, userId: string) {
  const group = await requireNamedGroupAndMember(orgId, groupId, userId)
  await useDb().insert(groupMembers).values({ groupId: group.id, orgId, userId }).onConflictDoNothing()
  return { groupId: group.id, userId }
}

/** Takes a member out of a named group; from their next request on, its grants no longer reach them. */
export async function removeGroupMember(orgId: string, groupId: string, userId: string): Promise<void> {
  const group = await requireNamedGroupAndMember(orgId, groupId, userId)
  await useDb().delete(groupMembers).where(and(eq(groupMembers.groupId, group.id), eq(groupMembers.userId, userId)))
}
