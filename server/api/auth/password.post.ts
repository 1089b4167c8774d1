// A signed-in user changes their own password, proving it with the current one; their
// other sessions end, this one stays. A wrong current password counts as a failed sign-in
// (same limits, same 429), so a borrowed session is no faster a way to guess it than the
// sign-in form. API tokens are refused: they act for scripts, not for the person.
import { beginLoginAttempt, loginFailed, loginSucceeded } from '../../auth/login-rate-limit'
import { clientAddress } from '../../auth/client-address'
import { changeOwnPassword } from '../../auth/password-changes'
import { passwordChangeBody } from '#shared/schemas/auth'

export default defineEventHandler(async (event) => {
  const { userId, email, sessionId } = requireAuth(event)
  if (!sessionId) throw createError({ statusCode: 403, message: 'Sign in to change your password; an API token cannot' })
  const body = await readValidBody(event, passwordChangeBody)
  const attempt = await beginLoginAttempt(email, clientAddress(event))
  if (!attempt.allowed) {
    setResponseHeader(event, 'Retry-After', attempt.retryAfterSeconds)
    throw createError({ statusCode: 429, message: `Too many wrong passwords from this address; try again in ${attempt.retryAfterSeconds} s` })
  }
  if (!await changeOwnPassword(userId, sessionId, body)) {
    await loginFailed()
    badRequest('The current password is not right', [{ path: 'currentPassword', message: 'is not your current password' }])
  }
  await loginSucceeded(attempt)
  return { ok: true }
})
