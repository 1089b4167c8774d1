// Slows password guessing without letting anyone lock an owner out. Attempts are counted
// per account from one client address, so an attacker's failures slow only that attacker:
// the owner signing in from anywhere else is not affected. After TESSERA_LOGIN_MAX_FAILURES
// failures the wait before the next attempt doubles each time (1 s, 2 s, 4 s, …) up to
// TESSERA_LOGIN_WINDOW_SECONDS. One client address also has a looser allowance across
// every account, so it cannot try one password on thousands of emails.
//
// An attempt is counted *before* its password is checked and forgiven when it succeeds:
// the count is taken and compared in one INSERT … ON CONFLICT statement on a row kept in
// Postgres (so it holds across web replicas), and forty concurrent guesses cannot all read
// "under the limit" before any of them is recorded.
import { eq, lt, sql } from 'drizzle-orm'
import { loginThrottles } from '../../db/schema'
import { useConfig } from '../config'
import { useDb } from '../utils/db'

// One address may try many accounts (an office behind NAT), so it gets more room.
const ADDRESS_ALLOWANCE_FACTOR = 5
// 2^30 s is far past any configured ceiling; bounding the exponent keeps power() finite
const MAX_BACKOFF_EXPONENT = 30

interface Throttle {
  key: string
  freeAttempts: number
}

export type LoginAttempt =
  | { allowed: true, throttles: Throttle[] }
  | { allowed: false, retryAfterSeconds: number }

function throttlesFor(email: string, address: string): Throttle[] {
  const { TESSERA_LOGIN_MAX_FAILURES: maxFailures } = useConfig()
  return [
    { key: `account:${email.toLowerCase()} from ${address}`, freeAttempts: maxFailures },
    { key: `address:${address}`, freeAttempts: maxFailures * ADDRESS_ALLOWANCE_FACTOR },
  ]
}

// seconds a row with `attempts` counted must stay quiet before the next attempt
function backoffSeconds(freeAttempts: number) {
  const ceiling = useConfig().TESSERA_LOGIN_WINDOW_SECONDS
  return sql`(CASE WHEN t.attempts < ${freeAttempts} THEN 0
    ELSE least(${ceiling}, power(2, least(t.attempts - ${freeAttempts}, ${MAX_BACKOFF_EXPONENT}))) END)`
}

/** Counts one attempt against `throttle` unless it is waiting out a backoff; answers whether it was counted. */
async function takeAttempt(throttle: Throttle): Promise<{ counted: true } | { counted: false, retryAfterSeconds: number }> {
  const ceiling = useConfig().TESSERA_LOGIN_WINDOW_SECONDS
  const backoff = backoffSeconds(throttle.freeAttempts)
  // a row quiet for its backoff plus the ceiling starts counting afresh
  const { rows } = await useDb().execute<{ attempts: number }>(sql`
    INSERT INTO login_throttles AS t (key, attempts, last_attempt_at) VALUES (${throttle.key}, 1, now())
    ON CONFLICT (key) DO UPDATE SET
      attempts = CASE WHEN t.last_attempt_at + make_interval(secs => ${backoff} + ${ceiling}) < now() THEN 1 ELSE t.attempts + 1 END,
      last_attempt_at = greatest(t.last_attempt_at, now())
    -- now() is when this statement's transaction began: a concurrent attempt may have
    -- stamped the row later, so an attempt within the allowance must not be compared
    -- with the clock at all (it would be refused with no backoff due)
    WHERE t.attempts < ${throttle.freeAttempts} OR t.last_attempt_at + make_interval(secs => ${backoff}) <= now()
    RETURNING attempts`)
  if (rows.length > 0) return { counted: true }
  const { rows: [waiting] } = await useDb().execute<{ seconds: number }>(sql`
    SELECT ceil(extract(epoch FROM t.last_attempt_at + make_interval(secs => ${backoff}) - now()))::int AS seconds
    FROM login_throttles AS t WHERE t.key = ${throttle.key}`)
  return { counted: false, retryAfterSeconds: Math.max(1, waiting?.seconds ?? 1) }
}

/** Undoes one counted attempt (it succeeded, or a later limit refused it before its password was checked). */
async function giveBackAttempt(throttle: Throttle): Promise<void> {
  await useDb().execute(sql`UPDATE login_throttles SET attempts = greatest(attempts - 1, 0) WHERE key = ${throttle.key}`)
}

/**
 * Counts a sign-in attempt for `email` from `address` before its password is checked.
 * Refused attempts are not counted, so waiting and retrying never lengthens the wait.
 */
export async function beginLoginAttempt(email: string, address: string): Promise<LoginAttempt> {
  const throttles = throttlesFor(email, address)
  const taken: Throttle[] = []
  for (const throttle of throttles) {
    const outcome = await takeAttempt(throttle)
    if (!outcome.counted) {
      for (const counted of taken) await giveBackAttempt(counted)
      return { allowed: false, retryAfterSeconds: outcome.retryAfterSeconds }
    }
    taken.push(throttle)
  }
  return { allowed: true, throttles }
}

/** The password was right: the account starts afresh from this address, and the address's attempt is forgiven. */
export async function loginSucceeded(attempt: { throttles: Throttle[] }): Promise<void> {
  const [account, ...others] = attempt.throttles
  await useDb().delete(loginThrottles).where(eq(loginThrottles.key, account!.key))
  for (const throttle of others) await giveBackAttempt(throttle)
}

/** The password was wrong: the attempt stays counted; rows long quiet are dropped here, so no job is needed. */
export async function loginFailed(): Promise<void> {
  const quietSince = new Date(Date.now() - 2 * useConfig().TESSERA_LOGIN_WINDOW_SECONDS * 1000)
  await useDb().delete(loginThrottles).where(lt(loginThrottles.lastAttemptAt, quietSince))
}
