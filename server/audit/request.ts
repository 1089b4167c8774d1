// Audit rows for HTTP requests: who is calling (the session's user or the API token),
// from which address, and how long the request has taken so far.
import type { H3Event } from 'h3'
import { clientAddress } from '../auth/client-address'
import type { AuthContext } from '../auth/sessions'
import { recordAudit, type AuditActor, type AuditEntry } from './record'

declare module 'h3' {
  interface H3EventContext {
    // set when the request arrives (plugins/audit.ts), for the audit row's duration
    auditStartedAt?: number
    // set once a row for this request is written, so the catch-all hook does not add another
    audited?: boolean
  }
}

export function actorOf(auth: Pick<AuthContext, 'userId' | 'apiTokenId'>): AuditActor {
  return auth.apiTokenId
    ? { type: 'token', userId: auth.userId, apiTokenId: auth.apiTokenId }
    : { type: 'user', userId: auth.userId }
}

/** Appends a row for this request; org and actor default to the signed-in caller's. */
export async function recordRequestAudit(
  event: H3Event,
  entry: Omit<AuditEntry, 'orgId' | 'actor' | 'clientAddress' | 'durationMs'> & Partial<Pick<AuditEntry, 'orgId' | 'actor'>>,
): Promise<void> {
  const auth = event.context.auth as AuthContext | undefined
  const startedAt = event.context.auditStartedAt
  event.context.audited = true
  await recordAudit({
    ...entry,
    orgId: entry.orgId !== undefined ? entry.orgId : auth?.orgId ?? null,
    actor: entry.actor ?? (auth ? actorOf(auth) : { type: 'user' }),
    clientAddress: clientAddress(event),
    durationMs: startedAt === undefined ? null : performance.now() - startedAt,
  })
}
