// An admin gives a member a new password: the one sent, or a generated one that is in this
// answer only. The member is signed out everywhere; their API tokens keep working. Admins
// change their own password on the settings page, which asks for the current one.
import { resetMemberPassword } from '../../../../auth/password-changes'
import { idParams } from '#shared/ids'
import { passwordResetBody } from '#shared/schemas/auth'

export default defineEventHandler(async (event) => {
  const { orgId, userId } = requireCan(event, 'user:manage')
  const { id } = readValidParams(event, idParams)
  const { password } = await readValidBody(event, passwordResetBody)
  if (id === userId) badRequest('Change your own password on the settings page', [{ path: 'id', message: 'is your own account' }])
  const reset = await resetMemberPassword(orgId, id, password)
  if (!reset.ok && reset.refusal === 'not_found') notFoundInOrg('user')
  if (!reset.ok) throw createError({ statusCode: 409, message: 'This user\'s password cannot be reset from this org' })
  return { id, generated: reset.generated, ...(reset.generated ? { password: reset.password } : {}) }
})
