import { createHash } from 'node:crypto'
import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sessions } from '../../db/schema'
import { useDb } from '../../server/utils/db'
import { startApp, type RunningApp } from '../support/app'
import { buildMember, buildOrg, TEST_PASSWORD } from '../support/builders'
import { useTestDatabase } from '../support/database'
import { ApiClient } from '../support/http'

let app: RunningApp
let orgId: string

beforeAll(async () => {
  const databaseUrl = await useTestDatabase()
  orgId = (await buildOrg()).id
  app = await startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'web' })
})
afterAll(() => app?.stop())

describe('sign-in', () => {
  it('starts a session in an HttpOnly SameSite=Lax cookie and stores only its hash', async () => {
    const admin = await buildMember(orgId, 'admin')
    const client = new ApiClient(app.url)
    const response = await client.login(admin.email, TEST_PASSWORD)
    const cookie = response.setCookie.find(line => line.startsWith('tessera_session='))!
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Lax/i)
    const token = client.sessionCookie.split('=')[1]!
    const stored = await useDb().select().from(sessions).where(eq(sessions.userId, admin.id))
    expect(stored).toHaveLength(1)
    // the row's id is the SHA-256 of the cookie's token, so a leaked sessions table opens no session
    expect(stored[0]!.id).toBe(createHash('sha256').update(token).digest('hex'))
    expect(stored[0]!.id).not.toContain(token)
    const me = await client.get('/api/auth/me')
    expect(me.json).toMatchObject({ user: { email: admin.email }, role: 'admin', org: { id: orgId } })
  })

  it('answers a wrong password and an unknown email with the same 401 that names neither field', async () => {
    const viewer = await buildMember(orgId, 'viewer')
    const wrongPassword = await new ApiClient(app.url).post('/api/auth/login', { email: viewer.email, password: 'nope' })
    const unknownEmail = await new ApiClient(app.url).post('/api/auth/login', { email: 'ghost@example.test', password: TEST_PASSWORD })
    expect(wrongPassword.status).toBe(401)
    expect(unknownEmail.status).toBe(401)
    expect(wrongPassword.json.message).toBe(unknownEmail.json.message)
    expect(wrongPassword.json.message).not.toMatch(/password is|email is|no such user/i)
    expect(wrongPassword.setCookie.some(line => /tessera_session=[^;]/.test(line))).toBe(false)
  })

  it('refuses the 11th rapid failed login with 429, even with the right password', async () => {
    const editor = await buildMember(orgId, 'editor')
    const client = new ApiClient(app.url)
    for (let attempt = 1; attempt <= 10; attempt++) {
      expect((await client.post('/api/auth/login', { email: editor.email, password: `wrong-${attempt}` })).status).toBe(401)
    }
    const eleventh = await client.post('/api/auth/login', { email: editor.email, password: TEST_PASSWORD })
    expect(eleventh.status).toBe(429)
    expect(eleventh.headers.get('retry-after')).toBeTruthy()
  })

  it('answers a malformed body with 400 listing the fields, not a 500', async () => {
    const response = await new ApiClient(app.url).post('/api/auth/login', { email: 42 })
    expect(response.status).toBe(400)
    const paths = response.json.data.issues.map((issue: { path: string }) => issue.path)
    expect(paths).toEqual(expect.arrayContaining(['email', 'password']))
    const notJson = await new ApiClient(app.url).request('POST', '/api/auth/login', undefined, { 'content-type': 'application/json' })
    expect(notJson.status).toBe(400)
  })
})

describe('sessions', () => {
  it('refuses a session after logout', async () => {
    const viewer = await buildMember(orgId, 'viewer')
    const client = new ApiClient(app.url)
    await client.login(viewer.email, TEST_PASSWORD)
    const stolenCookie = client.sessionCookie
    expect((await client.post('/api/auth/logout')).status).toBe(200)
    const replay = await new ApiClient(app.url).get('/api/auth/me', { cookie: stolenCookie })
    expect(replay.status).toBe(401)
  })

  it('refuses an expired session', async () => {
    const viewer = await buildMember(orgId, 'viewer')
    const client = new ApiClient(app.url)
    await client.login(viewer.email, TEST_PASSWORD)
    await useDb().update(sessions).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(sessions.userId, viewer.id))
    expect((await client.get('/api/auth/me')).status).toBe(401)
  })

  it('refuses anonymous calls to API routes', async () => {
    expect((await new ApiClient(app.url).get('/api/admin/users')).status).toBe(401)
  })
})

describe('authorization', () => {
  it('gives a viewer 403 on an admin route and an admin 200', async () => {
    const viewer = await buildMember(orgId, 'viewer')
    const admin = await buildMember(orgId, 'admin')
    const viewerClient = new ApiClient(app.url)
    await viewerClient.login(viewer.email, TEST_PASSWORD)
    expect((await viewerClient.get('/api/admin/users')).status).toBe(403)
    expect((await viewerClient.post('/api/admin/users', { email: 'x@example.test', name: 'x', password: 'longenough', role: 'admin' })).status).toBe(403)
    const adminClient = new ApiClient(app.url)
    await adminClient.login(admin.email, TEST_PASSWORD)
    const list = await adminClient.get('/api/admin/users')
    expect(list.status).toBe(200)
    expect(list.json.map((member: { email: string }) => member.email)).toContain(viewer.email)
  })

  it('keeps each org to its own members', async () => {
    const otherOrg = await buildOrg('Other')
    const outsider = await buildMember(otherOrg.id, 'viewer')
    const admin = await buildMember(orgId, 'admin')
    const client = new ApiClient(app.url)
    await client.login(admin.email, TEST_PASSWORD)
    const list = await client.get('/api/admin/users')
    expect(list.json.map((member: { email: string }) => member.email)).not.toContain(outsider.email)
    expect((await client.patch(`/api/admin/users/${outsider.id}`, { role: 'admin' })).status).toBe(404)
  })
})

describe('CSRF defence', () => {
  it('refuses a cross-site POST carrying a valid session cookie', async () => {
    const admin = await buildMember(orgId, 'admin')
    const client = new ApiClient(app.url)
    await client.login(admin.email, TEST_PASSWORD)
    const crossSite = await client.post('/api/tokens', { name: 'evil' }, { 'sec-fetch-site': 'cross-site', 'origin': 'https://evil.example' })
    expect(crossSite.status).toBe(403)
    const foreignOrigin = await client.request('POST', '/api/tokens', { name: 'evil' }, { 'sec-fetch-site': '', 'origin': 'https://evil.example' })
    expect(foreignOrigin.status).toBe(403)
    const sameSite = await client.post('/api/tokens', { name: 'mine' })
    expect(sameSite.status).toBe(201)
  })
})

describe('API tokens', () => {
  it('authenticates scripts with a bearer token shown once', async () => {
    const editor = await buildMember(orgId, 'editor')
    const client = new ApiClient(app.url)
    await client.login(editor.email, TEST_PASSWORD)
    const created = await client.post('/api/tokens', { name: 'ci script' })
    expect(created.json.token).toMatch(/^tsr_/)
    const script = new ApiClient(app.url)
    const me = await script.get('/api/auth/me', { authorization: `Bearer ${created.json.token}` })
    expect(me.status).toBe(200)
    expect(me.json.user.email).toBe(editor.email)
    expect((await script.get('/api/auth/me', { authorization: 'Bearer tsr_forged' })).status).toBe(401)
  })
})
