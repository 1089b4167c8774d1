import { refuseMembershipChange, setMemberRole } from '../../../auth/accounts'
import { idParams } from '#shared/ids'
import { memberPatchBody } from '#shared/schemas/auth'

export default defineEventHandler(async (event) => {
  const { orgId, userId } = requireCan(event, 'user:manage')
  const { id } = readValidParams(event, idParams)
  const { role } = await readValidBody(event, memberPatchBody)
  const change = await setMemberRole(orgId, userId, id, role)
  if (!change.ok) refuseMembershipChange(change.refusal, { path: 'role', message: 'the org needs at least one admin' })
  return change.member
})
