import { listMembers } from '../../../auth/accounts'

export default defineEventHandler(async (event) => {
  const { orgId } = requireCan(event, 'user:manage')
  return listMembers(orgId)
})
