// Writes the audit row of an API request whose route is listed in route-actions.ts,
// once per request, whether it succeeded (answer's status) or failed (error's status).
import type { H3Event } from 'h3'
import type { AuditOutcome } from '#shared/schemas/audit'
import type { AuthContext } from '../auth/sessions'
import { auditedRoutes } from './route-actions'
import { recordRequestAudit } from './request'

export function outcomeOf(statusCode: number): AuditOutcome {
  if (statusCode < 400) return 'success'
  return statusCode === 401 || statusCode === 403 ? 'denied' : 'failure'
}

export async function auditMatchedRoute(event: H3Event, statusCode: number, answer?: unknown): Promise<void> {
  if (event.context.audited) return
  const route = event.context.matchedRoute?.path
  const audit = route ? auditedRoutes[`${event.method} ${route}`] : undefined
  if (!audit) return
  const { id: paramId, ...otherParams } = (event.context.params ?? {}) as Record<string, string>
  const answerId = (answer as { id?: unknown } | undefined)?.id
  let targetId = audit.targetIdFrom === 'response' && typeof answerId === 'string' ? answerId : paramId
  // a user acting on their own account (sign-out, password change) is their own target
  if (!targetId && audit.targetType !== 'session' && audit.targetIdFrom !== 'none') targetId = (event.context.auth as AuthContext | undefined)?.userId
  await recordRequestAudit(event, {
    action: audit.action,
    targetType: audit.targetType,
    targetId: targetId ?? null,
    outcome: outcomeOf(statusCode),
    details: { status: statusCode, ...otherParams },
  })
}
