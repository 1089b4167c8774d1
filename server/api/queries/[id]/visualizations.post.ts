// A new visualization of a query (editors with `view` on its datasource: it stores a config, no SQL).
import { visualizations } from '../../../../db/schema'
import { idParams } from '#shared/ids'
import { newVisualizationBody } from '#shared/schemas/visualizations'
import { requireQueryAccess } from '../../../access/objects'

export default defineEventHandler(async (event) => {
  const auth = requireCan(event, 'visualization:write')
  const { id } = readValidParams(event, idParams)
  const body = await readValidBody(event, newVisualizationBody)
  await requireQueryAccess(auth, id, 'view')
  const [created] = await useDb().insert(visualizations).values({ ...body, orgId: auth.orgId, queryId: id }).returning()
  setResponseStatus(event, 201)
  return created
})
