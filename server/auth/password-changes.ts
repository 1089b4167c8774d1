// Owns changing a password after the account exists: a user's own change, proved with the
// current password, and an admin's reset of a member's. The new hash and the end of the
// user's sessions are one transaction, so no session opened with the old password outlives
// it: a change keeps only the session that made it, a reset keeps none. API tokens are left
// alone (they are revoked one by one), so a script does not stop because its owner's
// password was changed. Plain passwords are never logged or stored.
import { and, eq, ne } from 'drizzle-orm'
import { memberships, sessions, users } from '../../db/schema'
import type { PasswordChange } from '#shared/schemas/auth'
import { useDb } from '../utils/db'
import { generatePassword, hashPassword, verifyPassword } from './passwords'

/** Sets the user's new password if `currentPassword` is right; false (nothing changed) if not. */
export async function changeOwnPassword(userId: string, keepSessionId: string, change: PasswordChange): Promise<boolean> {
  const [user] = await useDb().select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId))
  if (!user || !await verifyPassword(user.passwordHash, change.currentPassword)) return false
  const passwordHash = await hashPassword(change.newPassword)
  return useDb().transaction(async (tx) => {
    // only over the hash that was checked: a change made meanwhile (another session) wins
    const updated = await tx.update(users).set({ passwordHash })
      .where(and(eq(users.id, userId), eq(users.passwordHash, user.passwordHash)))
      .returning({ id: users.id })
    if (updated.length === 0) return false
    await tx.delete(sessions).where(and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId)))
    return true
  })
}

export type PasswordReset =
  | { ok: true, password: string, generated: boolean }
  | { ok: false, refusal: 'not_found' | 'member_elsewhere' }

/**
 * Gives a member of the org a new password (`given`, or a generated one returned to be
 * shown once) and signs them out everywhere. A user who also belongs to another org is
 * refused: this org's admins must not take over their account there.
 */
export async function resetMemberPassword(orgId: string, userId: string, given?: string): Promise<PasswordReset> {
  const password = given ?? generatePassword()
  const passwordHash = await hashPassword(password)
  return useDb().transaction(async (tx) => {
    const orgsOfUser = await tx.select({ orgId: memberships.orgId }).from(memberships).where(eq(memberships.userId, userId))
    if (!orgsOfUser.some(membership => membership.orgId === orgId)) return { ok: false, refusal: 'not_found' }
    if (orgsOfUser.some(membership => membership.orgId !== orgId)) return { ok: false, refusal: 'member_elsewhere' }
    await tx.update(users).set({ passwordHash }).where(eq(users.id, userId))
    await tx.delete(sessions).where(eq(sessions.userId, userId))
    return { ok: true, password, generated: given === undefined }
  })
}
