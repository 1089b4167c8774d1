// Plan estimate of ad-hoc SQL (editors with `query` on the datasource): EXPLAIN without
// executing, on the datasource.
import { adhocRunSchema } from '#shared/schemas/queries'
import { requireDatasourceAccess } from '../../access/check'
import { estimateAdhoc } from '../../runs/estimate'

export default defineEventHandler(async (event) => {
  const auth = requireCan(event, 'sql:run')
  const input = await readValidBody(event, adhocRunSchema)
  await requireDatasourceAccess(auth, input.datasourceId, 'query')
  return estimateAdhoc(auth.orgId, input)
})
