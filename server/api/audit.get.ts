// The org's audit log for admins, newest first and paged: filter by actor (user id,
// email or part of one, token or schedule id), action (or `prefix.`), target (`type` or
// `type:id`) and time (`from` inclusive, `to` exclusive); `nextCursor` asks for the next page.
import { auditFilterQuery } from '#shared/schemas/audit'
import { InvalidAuditCursorError, listAuditRows } from '../audit/read'

export default defineEventHandler(async (event) => {
  const { orgId } = requireCan(event, 'audit:read')
  const filter = readValidQuery(event, auditFilterQuery)
  try {
    return await listAuditRows(orgId, filter)
  }
  catch (error) {
    if (error instanceof InvalidAuditCursorError) badRequest(`Invalid query string: cursor: ${error.message}`, [{ path: 'cursor', message: error.message }])
    throw error
  }
})
