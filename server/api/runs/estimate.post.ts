// Plan estimate of ad-hoc SQL (editors): EXPLAIN without executing, on the datasource.
import { adhocRunSchema } from '#shared/schemas/queries'
import { estimateAdhoc } from '../../runs/estimate'

export default defineEventHandler(async (event) => {
  const auth = requireCan(event, 'sql:run')
  const input = await readValidBody(event, adhocRunSchema)
  return estimateAdhoc(auth.orgId, input)
})
