// The one writer of the audit log: every action a user, API token or schedule takes is
// appended here, by the web process and the worker alike. Rows are never updated or
// deleted (a database trigger refuses both; only retention.ts may delete old rows).
// Writing never fails the action it records: a failed write is logged loudly instead.
import { auditLog } from '../../db/schema'
import type { AuditActorType, AuditOutcome } from '#shared/schemas/audit'
import { useDb } from '../utils/db'
import { logger } from '../utils/logger'

export interface AuditActor {
  type: AuditActorType
  userId?: string | null
  apiTokenId?: string | null
  scheduleId?: string | null
}

export interface AuditEntry {
  orgId: string | null
  actor: AuditActor
  // `<target type>.<verb>`, e.g. `query.update`, `auth.sign_in`, `run.start`, `export.download`
  action: string
  targetType?: string | null
  targetId?: string | null
  outcome?: AuditOutcome
  clientAddress?: string | null
  durationMs?: number | null
  details?: Record<string, unknown>
}

export async function recordAudit(entry: AuditEntry): Promise<void> {
  try {
    await useDb().insert(auditLog).values({
      orgId: entry.orgId,
      actorType: entry.actor.type,
      userId: entry.actor.userId ?? null,
      apiTokenId: entry.actor.apiTokenId ?? null,
      scheduleId: entry.actor.scheduleId ?? null,
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      outcome: entry.outcome ?? 'success',
      clientAddress: entry.clientAddress ?? null,
      durationMs: entry.durationMs == null ? null : Math.round(entry.durationMs),
      details: entry.details ?? {},
    })
  }
  catch (error) {
    logger.error('audit row not written', { action: entry.action, orgId: entry.orgId, error: String(error) })
  }
}
