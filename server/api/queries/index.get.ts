// Lists the org's saved queries: search by name, SQL or description (`q`), tag, owner
// ("me" or a user id), archived (false | true | all); each with its last run. Queries on
// datasources hidden from the caller are left out.
import { listQueriesSchema } from '#shared/schemas/queries'
import { datasourceAccess } from '../../access/check'
import { listQueries } from '../../queries/queries'

export default defineEventHandler(async (event) => {
  const auth = requireRole(event, 'viewer')
  const filters = readValidQuery(event, listQueriesSchema)
  return listQueries(auth.orgId, auth.userId, filters, await datasourceAccess(auth))
})
