// Sign-in limiting as an attacker meets it: failures from one client address slow that
// address only, concurrent guesses are counted one by one, and X-Forwarded-For written by
// the client changes nothing. Each client is a real loopback address (127.0.0.N), so the
// server sees distinct socket addresses without any header.
import { request } from 'node:http'
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type RunningApp } from '../support/app'
import { buildMember, buildOrg, TEST_PASSWORD } from '../support/builders'
import { useTestDatabase } from '../support/database'

const MAX_FAILURES = 3

let app: RunningApp
let orgId: string

beforeAll(async () => {
  const databaseUrl = await useTestDatabase()
  orgId = (await buildOrg()).id
  app = await startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'web', TESSERA_LOGIN_MAX_FAILURES: String(MAX_FAILURES) })
})
afterAll(() => app?.stop())

interface LoginAnswer { status: number, retryAfter: string | undefined }

/** POSTs a sign-in from the given loopback address, as a browser on our own origin would. */
function loginFrom(localAddress: string, email: string, password: string, headers: Record<string, string> = {}): Promise<LoginAnswer> {
  const url = new URL('/api/auth/login', app.url)
  const body = JSON.stringify({ email, password })
  return new Promise((resolve, reject) => {
    const outgoing = request(url, {
      method: 'POST',
      localAddress,
      agent: false,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'sec-fetch-site': 'same-origin', ...headers },
    }, (response) => {
      response.resume()
      response.on('end', () => resolve({ status: response.statusCode!, retryAfter: response.headers['retry-after'] }))
    })
    outgoing.on('error', reject)
    outgoing.end(body)
  })
}

async function failTimes(localAddress: string, email: string, times: number) {
  for (let attempt = 1; attempt <= times; attempt++) {
    expect((await loginFrom(localAddress, email, `wrong-${attempt}`)).status).toBe(401)
  }
}

describe('sign-in limiting', () => {
  it('slows the address that guesses, while the owner signs in from another address', async () => {
    const owner = await buildMember(orgId, 'admin')
    await failTimes('127.0.0.2', owner.email, MAX_FAILURES)
    const slowed = await loginFrom('127.0.0.2', owner.email, 'wrong-again')
    expect(slowed.status).toBe(429)
    expect(Number(slowed.retryAfter)).toBeGreaterThanOrEqual(1)
    // the guessing address is slowed even when it has the right password
    expect((await loginFrom('127.0.0.2', owner.email, TEST_PASSWORD)).status).toBe(429)
    expect((await loginFrom('127.0.0.3', owner.email, TEST_PASSWORD)).status).toBe(200)
  })

  it('doubles the wait after each failure past the allowance, and a refused attempt does not lengthen it', async () => {
    const member = await buildMember(orgId, 'viewer')
    await failTimes('127.0.0.4', member.email, MAX_FAILURES)
    const first = await loginFrom('127.0.0.4', member.email, 'wrong')
    expect(first).toEqual({ status: 429, retryAfter: '1' })
    expect((await loginFrom('127.0.0.4', member.email, 'wrong')).retryAfter).toBe('1')
    await new Promise(done => setTimeout(done, 1_100))
    expect((await loginFrom('127.0.0.4', member.email, 'wrong')).status).toBe(401)
    expect(await loginFrom('127.0.0.4', member.email, 'wrong')).toEqual({ status: 429, retryAfter: '2' })
  })

  it('counts 40 concurrent bad sign-ins one by one: those past the allowance get 429 with Retry-After', async () => {
    const member = await buildMember(orgId, 'editor')
    const answers = await Promise.all(Array.from({ length: 40 }, (_, index) => loginFrom('127.0.0.5', member.email, `guess-${index}`)))
    const unauthorized = answers.filter(answer => answer.status === 401)
    const limited = answers.filter(answer => answer.status === 429)
    expect(unauthorized.length + limited.length).toBe(40)
    // exactly the allowance, unless a slow machine let the 1 s backoff pass mid-burst
    expect(unauthorized.length).toBeGreaterThanOrEqual(MAX_FAILURES)
    expect(unauthorized.length).toBeLessThanOrEqual(MAX_FAILURES + 2)
    expect(limited.every(answer => Number(answer.retryAfter) >= 1)).toBe(true)
  })

  it('ignores an X-Forwarded-For the client wrote (no TESSERA_TRUST_PROXY)', async () => {
    const member = await buildMember(orgId, 'viewer')
    const spoofed = () => ({ 'x-forwarded-for': `203.0.113.${randomBytes(1)[0]}` })
    for (let attempt = 1; attempt <= MAX_FAILURES; attempt++) {
      expect((await loginFrom('127.0.0.6', member.email, 'wrong', spoofed())).status).toBe(401)
    }
    expect((await loginFrom('127.0.0.6', member.email, 'wrong', spoofed())).status).toBe(429)
  })

  it('limits one address across many accounts, more loosely than one account', async () => {
    const addressAllowance = MAX_FAILURES * 5
    for (let account = 1; account <= addressAllowance; account++) {
      const answer = await loginFrom('127.0.0.7', `nobody-${account}@example.test`, 'wrong', { 'x-forwarded-for': `198.51.100.${account}` })
      expect(answer.status).toBe(401)
    }
    const next = await loginFrom('127.0.0.7', 'someone-else@example.test', 'wrong')
    expect(next.status).toBe(429)
    // another address is untouched
    expect((await loginFrom('127.0.0.8', 'someone-else@example.test', 'wrong')).status).toBe(401)
  })
})
