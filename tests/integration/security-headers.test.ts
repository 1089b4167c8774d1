import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type RunningApp } from '../support/app'
import { buildMember, buildOrg, TEST_PASSWORD } from '../support/builders'
import { useTestDatabase } from '../support/database'
import { ApiClient } from '../support/http'

let databaseUrl: string
let app: RunningApp

beforeAll(async () => {
  databaseUrl = await useTestDatabase()
  app = await startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'web' })
})
afterAll(() => app?.stop())

function directives(response: Response): Map<string, string[]> {
  const policy = response.headers.get('content-security-policy') ?? ''
  return new Map(policy.split(';').map(part => part.trim().split(/\s+/)).filter(([name]) => name).map(([name, ...sources]) => [name!, sources]))
}

/** The headers every answer must carry, whatever it is. */
function expectBaseHeaders(response: Response) {
  expect(response.headers.get('content-security-policy'), response.url).toBeTruthy()
  expect(directives(response).get('frame-ancestors')).toEqual([`'none'`])
  expect(response.headers.get('x-frame-options')).toBe('DENY')
  expect(response.headers.get('x-content-type-options')).toBe('nosniff')
  expect(response.headers.get('referrer-policy')).toMatch(/^(same-origin|no-referrer|strict-origin-when-cross-origin)$/)
  expect(response.headers.get('x-powered-by')).toBeNull()
}

describe('security headers', () => {
  it('lets a page run only its own scripts and the inline ones it was served with', async () => {
    const response = await fetch(`${app.url}/login`)
    expect(response.status).toBe(200)
    expectBaseHeaders(response)
    const html = await response.text()
    const policy = directives(response)
    expect(policy.get('default-src')).toEqual([`'self'`])
    expect(policy.get('object-src')).toEqual([`'none'`])
    expect(policy.get('base-uri')).toEqual([`'self'`])
    const scriptSources = policy.get('script-src')!
    expect(scriptSources[0]).toBe(`'self'`)
    expect(scriptSources).not.toContain(`'unsafe-inline'`)
    expect(scriptSources).not.toContain(`'unsafe-eval'`)
    // every script the page runs inline is allowed by its hash, and nothing else is
    const inline = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)]
      .filter(([, attributes]) => !/\bsrc=/.test(attributes!) && !/application\/json/.test(attributes!))
      .map(([, , body]) => `'sha256-${createHash('sha256').update(body!).digest('base64')}'`)
    expect(inline.length).toBeGreaterThan(0)
    expect(scriptSources.slice(1).sort()).toEqual([...new Set(inline)].sort())
  })

  it('puts them on API answers, errors and static files too', async () => {
    const page = await (await fetch(`${app.url}/`)).text()
    const asset = page.match(/<script[^>]+src="(\/_nuxt\/[^"]+\.js)"/)![1]!
    const member = new ApiClient(app.url)
    await member.login((await buildMember((await buildOrg()).id, 'viewer')).email, TEST_PASSWORD)
    const signedIn = { headers: { cookie: member.sessionCookie } }
    const answers = await Promise.all([
      fetch(`${app.url}/api/healthz`),
      fetch(`${app.url}/api/auth/me`),
      fetch(`${app.url}/api/auth/me`, signedIn),
      fetch(`${app.url}/api/no-such-route`, signedIn),
      fetch(`${app.url}${asset}`),
      fetch(`${app.url}/_nuxt/no-such-file.js`),
    ])
    expect(answers.map(answer => answer.status)).toEqual([200, 401, 200, 404, 200, 404])
    for (const answer of answers) expectBaseHeaders(answer)
  })
})

describe('the worker\'s health check', () => {
  it('carries the same headers', async () => {
    const worker = await startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'worker' })
    try {
      const answers = await Promise.all([fetch(`${worker.url}/api/healthz`), fetch(`${worker.url}/anything-else`)])
      expect(answers.map(answer => answer.status)).toEqual([200, 404])
      for (const answer of answers) expectBaseHeaders(answer)
    }
    finally {
      await worker.stop()
    }
  })
})

describe('TESSERA_FRAME_ANCESTORS', () => {
  it('lets the named origins frame the app, with X-Frame-Options agreeing', async () => {
    const framed = await startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'web', TESSERA_FRAME_ANCESTORS: 'self https://TV.example.com' })
    try {
      const response = await fetch(`${framed.url}/dashboards/1?tv=1`)
      expect(directives(response).get('frame-ancestors')).toEqual([`'self'`, 'https://tv.example.com'])
      // X-Frame-Options cannot name another origin, and DENY or SAMEORIGIN would forbid it
      expect(response.headers.get('x-frame-options')).toBeNull()
      expect(directives(await fetch(`${framed.url}/api/healthz`)).get('frame-ancestors')).toEqual([`'self'`, 'https://tv.example.com'])
    }
    finally {
      await framed.stop()
    }
  })

  it('refuses a value that would change the rest of the policy, naming the setting', async () => {
    const started = await startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'web', TESSERA_FRAME_ANCESTORS: `https://tv.example.com; script-src *` }, 20_000)
      .catch((error: Error) => error)
    if (!(started instanceof Error)) await started.stop()
    expect(started).toBeInstanceOf(Error)
    expect((started as Error).message).toMatch(/TESSERA_FRAME_ANCESTORS: must be none, or self and\/or origins/)
  })
})
