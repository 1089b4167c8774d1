// The audit log's vocabulary and the filters of GET /api/audit, shared by the admin page
// and the server.
import { z } from 'zod'

export const auditActorTypes = ['user', 'token', 'schedule'] as const
export type AuditActorType = (typeof auditActorTypes)[number]

// success: done; failure: refused for bad input or credentials; denied: refused for lack of rights
export const auditOutcomes = ['success', 'failure', 'denied'] as const
export type AuditOutcome = (typeof auditOutcomes)[number]

export const AUDIT_PAGE_SIZE_MAX = 500

const instant = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' })

export const auditFilterQuery = z.object({
  // a user id, a user's email (or part of it), or a token or schedule id
  actor: z.string().trim().min(1).max(320).optional(),
  // an action (`query.update`) or its prefix (`query.`)
  action: z.string().trim().min(1).max(100).optional(),
  // a target type (`query`) or `type:id`
  target: z.string().trim().min(1).max(200).optional(),
  from: instant.optional(),
  to: instant.optional(),
  // the `nextCursor` of the previous page
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(AUDIT_PAGE_SIZE_MAX).default(100),
})
export type AuditFilter = z.infer<typeof auditFilterQuery>

// the CSV export takes the same filters and returns every matching row, not a page
export const auditExportQuery = auditFilterQuery.omit({ cursor: true, limit: true })
export type AuditExportFilter = z.infer<typeof auditExportQuery>

/** One row of GET /api/audit (and one line of its CSV), with the acting user's email and token's name. */
export interface AuditRow {
  id: string
  // ISO 8601 UTC to the microsecond
  createdAt: string
  actorType: AuditActorType
  userId: string | null
  userEmail: string | null
  apiTokenId: string | null
  apiTokenName: string | null
  scheduleId: string | null
  action: string
  targetType: string | null
  targetId: string | null
  outcome: AuditOutcome
  clientAddress: string | null
  durationMs: number | null
  details: Record<string, unknown>
}

export interface AuditPage {
  rows: AuditRow[]
  // null on the last page
  nextCursor: string | null
}
