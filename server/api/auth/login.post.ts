import { beginLoginAttempt, loginFailed, loginSucceeded } from '../../auth/login-rate-limit'
import { findUserForLogin } from '../../auth/accounts'
import { clientAddress } from '../../auth/client-address'
import { verifyAgainstDummy, verifyPassword } from '../../auth/passwords'
import { createSession, setSessionCookie } from '../../auth/sessions'
import { loginBody } from '#shared/schemas/auth'
import { recordSignIn } from '../../audit/sign-in'

export default defineEventHandler(async (event) => {
  const { email, password } = await readValidBody(event, loginBody)
  const attempt = await beginLoginAttempt(email, clientAddress(event))
  if (!attempt.allowed) {
    setResponseHeader(event, 'Retry-After', attempt.retryAfterSeconds)
    await recordSignIn(event, email, null, 'denied', 'rate_limited')
    throw createError({ statusCode: 429, message: `Too many failed sign-in attempts from this address; try again in ${attempt.retryAfterSeconds} s` })
  }
  const user = await findUserForLogin(email)
  const valid = user ? await verifyPassword(user.passwordHash, password) : await verifyAgainstDummy(password)
  if (!user || !valid) {
    await loginFailed()
    await recordSignIn(event, email, user, 'failure', user ? 'wrong_password' : 'unknown_email')
    // never say which of the two was wrong
    throw createError({ statusCode: 401, message: 'Invalid email or password' })
  }
  await loginSucceeded(attempt)
  const session = await createSession(user.id, user.orgId)
  setSessionCookie(event, session.token, session.expiresAt)
  await recordSignIn(event, email, user, 'success')
  return { ok: true }
})
