import { visualizations } from '../../../../db/schema'
import { idParams } from '#shared/ids'
import { newVisualizationBody } from '#shared/schemas/visualizations'
import { requireQueryInOrg } from '../../../dashboards/visualizations'

export default defineEventHandler(async (event) => {
  const { orgId } = requireCan(event, 'visualization:write')
  const { id } = readValidParams(event, idParams)
  const body = await readValidBody(event, newVisualizationBody)
  await requireQueryInOrg(orgId, id)
  const [created] = await useDb().insert(visualizations).values({ ...body, orgId, queryId: id }).returning()
  setResponseStatus(event, 201)
  return created
})
