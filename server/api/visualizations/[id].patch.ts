import { idParams } from '#shared/ids'
import { visualizationPatchBody } from '#shared/schemas/visualizations'
import { requireVisualizationAccess } from '../../access/objects'
import { updateVisualization } from '../../dashboards/visualizations'

export default defineEventHandler(async (event) => {
  const auth = requireCan(event, 'visualization:write')
  const { id } = readValidParams(event, idParams)
  const patch = await readValidBody(event, visualizationPatchBody)
  await requireVisualizationAccess(auth, id)
  return updateVisualization(auth.orgId, id, patch)
})
