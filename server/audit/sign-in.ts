// Audit rows for sign-in attempts. A failure is filed under the org of the account the
// email names (so its admins see someone guessing); an email no account has is filed
// under no org. The password is never recorded, right or wrong.
import type { H3Event } from 'h3'
import type { AuditOutcome } from '#shared/schemas/audit'
import { findUserForLogin } from '../auth/accounts'
import { recordRequestAudit } from './request'

interface SignInAccount { id: string, orgId: string }

export async function recordSignIn(event: H3Event, email: string, account: SignInAccount | undefined | null, outcome: AuditOutcome, reason?: string): Promise<void> {
  const known = account === null ? await findUserForLogin(email) : account
  await recordRequestAudit(event, {
    orgId: known?.orgId ?? null,
    actor: { type: 'user', userId: known?.id ?? null },
    action: outcome === 'success' ? 'auth.sign_in' : 'auth.sign_in_failed',
    targetType: 'user',
    targetId: known?.id ?? null,
    outcome,
    details: { email: email.toLowerCase(), ...(reason ? { reason } : {}) },
  })
}
