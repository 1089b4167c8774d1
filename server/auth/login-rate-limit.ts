// Slows password guessing: failed logins are recorded in Postgres (so the limit holds
// across every web replica) and counted per account and per client address over a
// sliding window. Successful logins clear the account's failures.
import { and, count, eq, gt, lt } from 'drizzle-orm'
import { loginFailures } from '../../db/schema'
import { useConfig } from '../config'
import { useDb } from '../utils/db'

// One address may try many accounts (an office behind NAT), so it gets more room.
const ADDRESS_ALLOWANCE_FACTOR = 5

function windowStart(): Date {
  return new Date(Date.now() - useConfig().TESSERA_LOGIN_WINDOW_SECONDS * 1000)
}

export async function isLoginRateLimited(email: string, ipAddress: string | undefined): Promise<boolean> {
  const { TESSERA_LOGIN_MAX_FAILURES: maxFailures } = useConfig()
  const since = windowStart()
  const [byEmail] = await useDb().select({ failures: count() }).from(loginFailures)
    .where(and(eq(loginFailures.email, email.toLowerCase()), gt(loginFailures.failedAt, since)))
  if (byEmail!.failures >= maxFailures) return true
  if (!ipAddress) return false
  const [byAddress] = await useDb().select({ failures: count() }).from(loginFailures)
    .where(and(eq(loginFailures.ipAddress, ipAddress), gt(loginFailures.failedAt, since)))
  return byAddress!.failures >= maxFailures * ADDRESS_ALLOWANCE_FACTOR
}

export async function recordLoginFailure(email: string, ipAddress: string | undefined): Promise<void> {
  await useDb().insert(loginFailures).values({ email: email.toLowerCase(), ipAddress })
  // old rows are useless to the window; trimming here keeps the table small without a job
  await useDb().delete(loginFailures).where(lt(loginFailures.failedAt, windowStart()))
}

export async function clearLoginFailures(email: string): Promise<void> {
  await useDb().delete(loginFailures).where(eq(loginFailures.email, email.toLowerCase()))
}
