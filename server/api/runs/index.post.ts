// An ad-hoc run of SQL typed in the editor (editors with `query` on the datasource): 202
// with the run (or the cached / joined one). `parameters` define the {{placeholders}} the
// SQL uses.
import { adhocRunSchema } from '#shared/schemas/queries'
import { requireDatasourceAccess } from '../../access/check'
import { enqueueAdhocRun } from '../../runs/enqueue'
import { toPublicRun } from '../../runs/public'
import { startedBy } from '../../runs/started-by'

export default defineEventHandler(async (event) => {
  const auth = requireCan(event, 'sql:run')
  const input = await readValidBody(event, adhocRunSchema)
  await requireDatasourceAccess(auth, input.datasourceId, 'query')
  const { run, cached, joined } = await enqueueAdhocRun({
    orgId: auth.orgId,
    datasourceId: input.datasourceId,
    sql: input.sql,
    parameters: input.parameters,
    params: input.params,
    options: input.options,
    ...startedBy(auth),
    sort: input.sort,
  })
  setResponseStatus(event, 202)
  return { ...toPublicRun(run, cached), joined }
})
