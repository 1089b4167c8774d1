// Renames a named group (admins); Admin and Everyone keep their names (409).
import { idParams } from '#shared/ids'
import { groupPatchBody } from '#shared/schemas/groups'
import { renameGroup } from '../../access/groups'

export default defineEventHandler(async (event) => {
  const { orgId } = requireCan(event, 'group:manage')
  const { id } = readValidParams(event, idParams)
  const { name } = await readValidBody(event, groupPatchBody)
  return renameGroup(orgId, id, name)
})
