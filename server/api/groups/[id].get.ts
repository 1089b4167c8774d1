// One group (admins) with its members (implied ones for Admin and Everyone) and grants.
import { idParams } from '#shared/ids'
import { groupDetail } from '../../access/groups'

export default defineEventHandler(async (event) => {
  const { orgId } = requireCan(event, 'group:manage')
  const { id } = readValidParams(event, idParams)
  return groupDetail(orgId, id)
})
