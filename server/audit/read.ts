// Reading the audit log for an org's admins: the filters of GET /api/audit, pages newest
// first behind an opaque cursor, and every matching row in batches for the CSV export.
// This module only reads; nothing here (or anywhere but retention.ts) changes a row.
import { and, desc, eq, gte, ilike, lt, or, sql, type SQL } from 'drizzle-orm'
import { apiTokens, auditLog, users } from '../../db/schema'
import { idSchema } from '#shared/ids'
import type { AuditFilter, AuditPage, AuditRow } from '#shared/schemas/audit'
import { useDb } from '../utils/db'

/** Thrown for a cursor this server did not hand out; the route answers 400 naming the field. */
export class InvalidAuditCursorError extends Error {}

// A cursor is the last row's position: its time to the microsecond (as Postgres prints it,
// so no precision is lost through a JS Date) and its id, which breaks ties.
interface Position { createdAt: string, id: string }

function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.id])).toString('base64url')
}

function decodeCursor(cursor: string): Position {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[]
    if (typeof createdAt === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(createdAt) && idSchema.safeParse(id).success) {
      return { createdAt, id: id as string }
    }
  }
  catch { /* falls through to the error below */ }
  throw new InvalidAuditCursorError('not a cursor from a previous page')
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, match => `\\${match}`)
}

function filterConditions(orgId: string, filter: Omit<AuditFilter, 'cursor' | 'limit'>): SQL[] {
  const conditions: SQL[] = [eq(auditLog.orgId, orgId)]
  if (filter.actor) {
    if (idSchema.safeParse(filter.actor).success) {
      conditions.push(or(eq(auditLog.userId, filter.actor), eq(auditLog.apiTokenId, filter.actor), eq(auditLog.scheduleId, filter.actor))!)
    }
    else {
      // an email, or part of one: the acting user's, or the one a failed sign-in tried
      const pattern = `%${escapeLike(filter.actor)}%`
      conditions.push(or(ilike(users.email, pattern), ilike(sql`${auditLog.details}->>'email'`, pattern))!)
    }
  }
  if (filter.action) {
    conditions.push(filter.action.endsWith('.')
      ? ilike(auditLog.action, `${escapeLike(filter.action)}%`)
      : eq(auditLog.action, filter.action))
  }
  if (filter.target) {
    const [targetType, ...rest] = filter.target.split(':')
    conditions.push(eq(auditLog.targetType, targetType!))
    if (rest.length) conditions.push(eq(auditLog.targetId, rest.join(':')))
  }
  if (filter.from) conditions.push(gte(auditLog.createdAt, new Date(filter.from)))
  if (filter.to) conditions.push(lt(auditLog.createdAt, new Date(filter.to)))
  return conditions
}

const createdAtText = sql<string>`to_char(${auditLog.createdAt} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`

async function selectRows(orgId: string, filter: Omit<AuditFilter, 'cursor' | 'limit'>, after: Position | null, limit: number) {
  const conditions = filterConditions(orgId, filter)
  if (after) conditions.push(sql`(${auditLog.createdAt}, ${auditLog.id}) < (${after.createdAt}::timestamptz, ${after.id}::uuid)`)
  return useDb()
    .select({
      id: auditLog.id,
      createdAt: createdAtText,
      actorType: auditLog.actorType,
      userId: auditLog.userId,
      userEmail: users.email,
      apiTokenId: auditLog.apiTokenId,
      apiTokenName: apiTokens.name,
      scheduleId: auditLog.scheduleId,
      action: auditLog.action,
      targetType: auditLog.targetType,
      targetId: auditLog.targetId,
      outcome: auditLog.outcome,
      clientAddress: auditLog.clientAddress,
      durationMs: auditLog.durationMs,
      details: auditLog.details,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.userId))
    .leftJoin(apiTokens, eq(apiTokens.id, auditLog.apiTokenId))
    .where(and(...conditions))
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(limit)
}

/** One page of the org's audit rows matching the filter, newest first. */
export async function listAuditRows(orgId: string, filter: AuditFilter): Promise<AuditPage> {
  const after = filter.cursor ? decodeCursor(filter.cursor) : null
  // one row more than asked tells whether another page follows
  const rows = await selectRows(orgId, filter, after, filter.limit + 1)
  const page = rows.slice(0, filter.limit)
  const last = page.at(-1)
  return { rows: page, nextCursor: rows.length > filter.limit && last ? encodeCursor(last) : null }
}

const EXPORT_BATCH_ROWS = 1_000

/** Every row matching the filter, newest first, a batch at a time (the export never holds them all). */
export async function* allAuditRows(orgId: string, filter: Omit<AuditFilter, 'cursor' | 'limit'>): AsyncGenerator<AuditRow[]> {
  let after: Position | null = null
  for (;;) {
    const rows = await selectRows(orgId, filter, after, EXPORT_BATCH_ROWS)
    if (rows.length) yield rows
    if (rows.length < EXPORT_BATCH_ROWS) return
    after = rows.at(-1)!
  }
}
