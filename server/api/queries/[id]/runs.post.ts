// Runs a saved query (viewers and up with `view` on its datasource): 202 with the run — a
// fresh cached one (`cached: true`), an identical one already in flight (`joined: true`),
// or a new one. `maxAgeSeconds: 0` always runs (the UI's "refresh").
import { idParams } from '#shared/ids'
import { queryRunSchema } from '#shared/schemas/queries'
import { requireQueryAccess } from '../../../access/objects'
import { enqueueQueryRun } from '../../../runs/enqueue'
import { toPublicRun } from '../../../runs/public'
import { startedBy } from '../../../runs/started-by'

export default defineEventHandler(async (event) => {
  const auth = requireRole(event, 'viewer')
  const { id } = readValidParams(event, idParams)
  await requireQueryAccess(auth, id, 'view')
  const input = await readValidBody(event, queryRunSchema)
  const { run, cached, joined } = await enqueueQueryRun({
    orgId: auth.orgId,
    queryId: id,
    params: input.params,
    maxAgeSeconds: input.maxAgeSeconds,
    ...startedBy(auth),
    sort: input.sort,
  })
  setResponseStatus(event, 202)
  return { ...toPublicRun(run, cached), joined }
})
