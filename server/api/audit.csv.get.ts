// Every audit row matching the same filters as GET /api/audit, as a CSV download (admins).
import { Readable } from 'node:stream'
import { auditExportQuery } from '#shared/schemas/audit'
import { auditCsvLines } from '../audit/csv'
import { contentDisposition } from '../exports/file-name'

export default defineEventHandler(async (event) => {
  const { orgId } = requireCan(event, 'audit:read')
  const filter = readValidQuery(event, auditExportQuery)
  setResponseHeaders(event, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': contentDisposition(`audit-log-${new Date().toISOString().slice(0, 16).replace('T', '-').replace(':', '')}.csv`),
    'cache-control': 'private, no-store',
  })
  return sendStream(event, Readable.from(auditCsvLines(orgId, filter)))
})
