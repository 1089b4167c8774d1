// Owns users, orgs and memberships: creating them, finding them for login, and the
// first admin of a fresh install. Every membership query is scoped by org.
import { and, asc, count, eq, inArray, or, sql } from 'drizzle-orm'
import { createError } from 'h3'
import { apiTokens, memberships, orgs, sessions, users } from '../../db/schema'
import { can, type Role } from '#shared/roles'
import { useDb, type Database } from '../utils/db'
import { hashPassword } from './passwords'
import { generateSecretToken } from './secrets'

export async function findUserForLogin(email: string) {
  const [row] = await useDb()
    .select({ id: users.id, passwordHash: users.passwordHash, orgId: memberships.orgId })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .where(eq(users.email, email.toLowerCase()))
    .orderBy(asc(memberships.createdAt))
    .limit(1)
  return row
}

export async function listMembers(orgId: string) {
  return useDb()
    .select({ id: users.id, email: users.email, name: users.name, role: memberships.role, createdAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.orgId, orgId))
    .orderBy(asc(users.email))
}

export class EmailTakenError extends Error {}

export async function createMember(orgId: string, input: { email: string, name: string, password: string, role: Role }) {
  const passwordHash = await hashPassword(input.password)
  return useDb().transaction(tx => insertMember(tx, orgId, { ...input, passwordHash }))
}

async function insertMember(tx: Transaction, orgId: string, input: { email: string, name: string, passwordHash: string, role: Role }) {
  const [user] = await tx.insert(users)
    .values({ email: input.email.toLowerCase(), name: input.name, passwordHash: input.passwordHash })
    .onConflictDoNothing()
    .returning({ id: users.id, email: users.email, name: users.name })
  if (!user) throw new EmailTakenError(input.email)
  await tx.insert(memberships).values({ orgId, userId: user.id, role: input.role })
  return { ...user, role: input.role }
}

// Why a change to a membership was refused: the target is not in the org, it would leave
// the org without an admin, or the caller lost the right to manage users after their
// request was authenticated (another admin demoted or removed them meanwhile).
export type MembershipRefusal = 'not_found' | 'last_admin' | 'actor_not_admin'
export type MembershipChange<T> = { ok: true, member: T } | { ok: false, refusal: MembershipRefusal }

type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0]

/**
 * Checks and applies a change to `targetId`'s membership in ONE transaction that first
 * locks the org's row. Two admins demoting or removing each other at the same moment are
 * thereby serialized: the second reads the admins and its own role only after the first
 * has committed, so the org always keeps an admin. `FOR NO KEY UPDATE` does not block
 * rows that merely reference the org (sessions, runs, audit rows), only other such changes.
 */
async function changeMembership<T>(
  orgId: string, actorId: string, targetId: string, dropsAdmin: boolean,
  apply: (tx: Transaction) => Promise<T>,
): Promise<MembershipChange<T>> {
  return useDb().transaction(async (tx) => {
    await tx.execute(sql`SELECT 1 FROM ${orgs} WHERE ${orgs.id} = ${orgId} FOR NO KEY UPDATE`)
    const rows = await tx.select({ userId: memberships.userId, role: memberships.role }).from(memberships)
      .where(and(eq(memberships.orgId, orgId), or(eq(memberships.role, 'admin'), inArray(memberships.userId, [actorId, targetId]))))
    const target = rows.find(row => row.userId === targetId)
    if (!target) return { ok: false, refusal: 'not_found' }
    const admins = rows.filter(row => row.role === 'admin').length
    if (dropsAdmin && target.role === 'admin' && admins <= 1) return { ok: false, refusal: 'last_admin' }
    const actor = rows.find(row => row.userId === actorId)
    if (!actor || !can(actor.role, 'user:manage')) return { ok: false, refusal: 'actor_not_admin' }
    return { ok: true, member: await apply(tx) }
  })
}

/** The answer to a refused membership change: 404, 400 naming `lastAdminIssue`'s field, or 403. */
export function refuseMembershipChange(refusal: MembershipRefusal, lastAdminIssue: { path: string, message: string }): never {
  if (refusal === 'not_found') throw createError({ statusCode: 404, message: 'User not found' })
  if (refusal === 'last_admin') {
    throw createError({ statusCode: 400, message: 'The org\'s last admin cannot be demoted or removed', data: { issues: [lastAdminIssue] } })
  }
  throw createError({ statusCode: 403, message: 'You are no longer an admin of this org' })
}

/** `actorId` gives `userId` a role; refused if that would leave the org without an admin. */
export async function setMemberRole(orgId: string, actorId: string, userId: string, role: Role) {
  return changeMembership(orgId, actorId, userId, role !== 'admin', async (tx) => {
    const [row] = await tx.update(memberships).set({ role })
      .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)))
      .returning({ userId: memberships.userId, role: memberships.role })
    return row!
  })
}

/**
 * `actorId` removes `userId` from the org; refused for its last admin. Their sessions and
 * API tokens in the org go with the membership, so adding them again later revives neither.
 */
export async function removeMember(orgId: string, actorId: string, userId: string) {
  return changeMembership(orgId, actorId, userId, true, async (tx) => {
    await tx.delete(sessions).where(and(eq(sessions.orgId, orgId), eq(sessions.userId, userId)))
    await tx.delete(apiTokens).where(and(eq(apiTokens.orgId, orgId), eq(apiTokens.userId, userId)))
    const [row] = await tx.delete(memberships)
      .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)))
      .returning({ userId: memberships.userId })
    return row!
  })
}

/**
 * A fresh install gets one org and one admin. The password comes from the environment
 * or is generated; a generated one is returned so the caller can print it once.
 */
export async function ensureFirstAdmin(input: { orgName: string, email: string, password?: string }) {
  if (await anyUserExists()) return undefined
  const password = input.password ?? generateSecretToken().slice(0, 16)
  const passwordHash = await hashPassword(password)
  return useDb().transaction(async (tx) => {
    // Web processes starting together on an empty database all get here: one makes the
    // org and its admin (in this one transaction, so no org is left without its admin),
    // the others wait for the lock, then find the admin and make nothing.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('tessera-first-admin'))`)
    if (await anyUserExists(tx)) return undefined
    const [org] = await tx.insert(orgs).values({ name: input.orgName }).returning()
    const admin = await insertMember(tx, org!.id, { email: input.email, name: 'Admin', passwordHash, role: 'admin' })
    return { org: org!, admin, password, generated: !input.password }
  })
}

async function anyUserExists(db: Database | Transaction = useDb()): Promise<boolean> {
  const [existing] = await db.select({ users: count() }).from(users)
  return existing!.users > 0
}
