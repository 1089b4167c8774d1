// The audit log as CSV (RFC 4180, through the exports' writer), newest first, streamed
// a batch at a time. Cells that a spreadsheet would read as a formula get a leading
// apostrophe: a failed sign-in records whatever "email" was typed, so a log opened in
// Excel must not run `=HYPERLINK(…)` an attacker typed into the sign-in form.
import type { AuditExportFilter, AuditRow } from '#shared/schemas/audit'
import { csvLines } from '../exports/csv'
import { allAuditRows } from './read'

const columns = [
  'time', 'actor_type', 'user_id', 'user_email', 'api_token_id', 'api_token_name', 'schedule_id',
  'action', 'target_type', 'target_id', 'outcome', 'client_address', 'duration_ms', 'details',
].map(name => ({ name, type: 'text' }))

function inert(value: string | null): string | null {
  return value !== null && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
}

function csvRow(row: AuditRow): unknown[] {
  return [
    row.createdAt, row.actorType, row.userId, inert(row.userEmail), row.apiTokenId, inert(row.apiTokenName), row.scheduleId,
    row.action, row.targetType, inert(row.targetId), row.outcome, row.clientAddress, row.durationMs, JSON.stringify(row.details),
  ]
}

async function* csvBatches(orgId: string, filter: AuditExportFilter): AsyncGenerator<unknown[][]> {
  for await (const rows of allAuditRows(orgId, filter)) yield rows.map(csvRow)
}

export function auditCsvLines(orgId: string, filter: AuditExportFilter): AsyncGenerator<string> {
  return csvLines(columns, csvBatches(orgId, filter))
}
