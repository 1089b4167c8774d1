// The org's groups (admins): Admin and Everyone first, then named groups, each with its
// member count and datasource grants.
import { listGroups } from '../../access/groups'

export default defineEventHandler(async (event) => {
  const { orgId } = requireCan(event, 'group:manage')
  return listGroups(orgId)
})
