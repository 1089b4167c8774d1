import { idParams } from '#shared/ids'
import { visualizationPatchBody } from '#shared/schemas/visualizations'
import { updateVisualization } from '../../dashboards/visualizations'

export default defineEventHandler(async (event) => {
  const { orgId } = requireCan(event, 'visualization:write')
  const { id } = readValidParams(event, idParams)
  const patch = await readValidBody(event, visualizationPatchBody)
  return updateVisualization(orgId, id, patch)
})
