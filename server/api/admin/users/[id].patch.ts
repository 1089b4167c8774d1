import { countAdmins, setMemberRole } from '../../../auth/accounts'
import { idParams } from '#shared/ids'
import { memberPatchBody } from '#shared/schemas/auth'

export default defineEventHandler(async (event) => {
  const { orgId, userId } = requireCan(event, 'user:manage')
  const { id } = readValidParams(event, idParams)
  const { role } = await readValidBody(event, memberPatchBody)
  if (id === userId && role !== 'admin' && await countAdmins(orgId) <= 1) {
    badRequest('The last admin cannot step down', [{ path: 'role', message: 'the org needs at least one admin' }])
  }
  const member = await setMemberRole(orgId, id, role)
  if (!member) notFoundInOrg('user')
  return member
})
