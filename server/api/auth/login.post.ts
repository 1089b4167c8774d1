import { clearLoginFailures, isLoginRateLimited, recordLoginFailure } from '../../auth/login-rate-limit'
import { findUserForLogin } from '../../auth/accounts'
import { verifyAgainstDummy, verifyPassword } from '../../auth/passwords'
import { createSession, setSessionCookie } from '../../auth/sessions'
import { loginBody } from '#shared/schemas/auth'
import { recordSignIn } from '../../audit/sign-in'

export default defineEventHandler(async (event) => {
  const { email, password } = await readValidBody(event, loginBody)
  const ipAddress = getRequestIP(event, { xForwardedFor: true })
  if (await isLoginRateLimited(email, ipAddress)) {
    setResponseHeader(event, 'Retry-After', useConfig().TESSERA_LOGIN_WINDOW_SECONDS)
    await recordSignIn(event, email, null, 'denied', 'rate_limited')
    throw createError({ statusCode: 429, message: 'Too many failed sign-in attempts; try again later' })
  }
  const user = await findUserForLogin(email)
  const valid = user ? await verifyPassword(user.passwordHash, password) : await verifyAgainstDummy(password)
  if (!user || !valid) {
    await recordLoginFailure(email, ipAddress)
    await recordSignIn(event, email, user, 'failure', user ? 'wrong_password' : 'unknown_email')
    // never say which of the two was wrong
    throw createError({ statusCode: 401, message: 'Invalid email or password' })
  }
  await clearLoginFailures(email)
  const session = await createSession(user.id, user.orgId)
  setSessionCookie(event, session.token, session.expiresAt)
  await recordSignIn(event, email, user, 'success')
  return { ok: true }
})
