// Owns users, orgs and memberships: creating them, finding them for login, and the
// first admin of a fresh install. Every membership query is scoped by org.
import { and, asc, count, eq } from 'drizzle-orm'
import { memberships, orgs, users } from '../../db/schema'
import type { Role } from '#shared/roles'
import { useDb } from '../utils/db'
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
  return useDb().transaction(async (tx) => {
    const [user] = await tx.insert(users)
      .values({ email: input.email.toLowerCase(), name: input.name, passwordHash })
      .onConflictDoNothing()
      .returning({ id: users.id, email: users.email, name: users.name })
    if (!user) throw new EmailTakenError(input.email)
    await tx.insert(memberships).values({ orgId, userId: user.id, role: input.role })
    return { ...user, role: input.role }
  })
}

export async function setMemberRole(orgId: string, userId: string, role: Role) {
  const [row] = await useDb().update(memberships).set({ role })
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)))
    .returning({ userId: memberships.userId, role: memberships.role })
  return row
}

export async function removeMember(orgId: string, userId: string) {
  const [row] = await useDb().delete(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)))
    .returning({ userId: memberships.userId })
  return row
}

export async function countAdmins(orgId: string): Promise<number> {
  const [row] = await useDb().select({ admins: count() }).from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.role, 'admin')))
  return row!.admins
}

/**
 * A fresh install gets one org and one admin. The password comes from the environment
 * or is generated; a generated one is returned so the caller can print it once.
 */
export async function ensureFirstAdmin(input: { orgName: string, email: string, password?: string }) {
  const [existing] = await useDb().select({ users: count() }).from(users)
  if (existing!.users > 0) return undefined
  const password = input.password ?? generateSecretToken().slice(0, 16)
  const [org] = await useDb().insert(orgs).values({ name: input.orgName }).returning()
  const admin = await createMember(org!.id, { email: input.email, name: 'Admin', password, role: 'admin' })
  return { org: org!, admin, password, generated: !input.password }
}
