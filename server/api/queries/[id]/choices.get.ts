// This query's first-column values as the choices of query_enum parameters and filters
// that take it as their source (the editor and dashboards ask by source; API users may
// ask by parameter at /parameters/:name/options). Same function behind both. A query on
// a datasource hidden from the caller is the one 404.
import { idParams } from '#shared/ids'
import { datasourceAccess } from '../../../access/check'
import { queryEnumChoicesRunning } from '../../../runs/enum-choices'

export default defineEventHandler(async (event) => {
  const auth = requireAuth(event)
  const { id } = readValidParams(event, idParams)
  const choices = await queryEnumChoicesRunning(auth.orgId, auth.userId, id, await datasourceAccess(auth))
  if (!choices) notFoundInOrg('query')
  return { values: choices.values, sourceRunId: choices.runId, updatedAt: choices.finishedAt?.toISOString() ?? null }
})
