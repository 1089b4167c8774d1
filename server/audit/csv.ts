// The audit log as CSV, newest first, streamed a batch at a time, through the exports'
// writer: it keeps cells from reading as spreadsheet formulas, which matters here because
// rows carry text users chose (token names, the "email" typed into a failed sign-in).
import type { AuditExportFilter, AuditRow } from '#shared/schemas/audit'
import { csvLines } from '../exports/csv'
import { allAuditRows } from './read'

const columns = [
  'time', 'actor_type', 'user_id', 'user_email', 'api_token_id', 'api_token_name', 'schedule_id',
  'action', 'target_type', 'target_id', 'outcome', 'client_address', 'duration_ms', 'details',
].map(name => ({ name, type: 'text' }))

function csvRow(row: AuditRow): unknown[] {
  return [
    row.createdAt, row.actorType, row.userId, row.userEmail, row.apiTokenId, row.apiTokenName, row.scheduleId,
    row.action, row.targetType, row.targetId, row.outcome, row.clientAddress, row.durationMs, row.details,
  ]
}

async function* csvBatches(orgId: string, filter: AuditExportFilter): AsyncGenerator<unknown[][]> {
  for await (const rows of allAuditRows(orgId, filter)) yield rows.map(csvRow)
}

export function auditCsvLines(orgId: string, filter: AuditExportFilter): AsyncGenerator<string> {
  return csvLines(columns, csvBatches(orgId, filter))
}
