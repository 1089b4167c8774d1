import { and, eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiTokens, auditLog } from '../../db/schema'
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

async function signedIn(role: 'viewer' | 'editor' | 'admin', inOrg = orgId) {
  const member = await buildMember(inOrg, role)
  const client = new ApiClient(app.url)
  await client.login(member.email, TEST_PASSWORD)
  return { member, client }
}

async function makeToken(client: ApiClient, body: Record<string, unknown> = {}) {
  const created = await client.post('/api/tokens', { name: 'script', ...body })
  expect(created.status).toBe(201)
  return created.json as { id: string, token: string, scope: string }
}

function bearer(token: string) {
  return { authorization: `Bearer ${token}` }
}

const script = () => new ApiClient(app.url)

describe('listing tokens', () => {
  it('lists the caller\'s tokens with scope, role, created, last used and expiry, never the secret', async () => {
    const { client } = await signedIn('editor')
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString()
    const made = await makeToken(client, { name: 'nightly', scope: 'read', expiresAt })
    expect(made.token).toMatch(/^tsr_/)
    await script().get('/api/auth/me', bearer(made.token))
    const list = await client.get('/api/tokens')
    expect(list.status).toBe(200)
    expect(list.json).toHaveLength(1)
    expect(list.json[0]).toMatchObject({ id: made.id, name: 'nightly', scope: 'read', role: 'editor', expiresAt })
    expect(list.json[0].lastUsedAt).toBeTruthy()
    expect(list.text).not.toContain(made.token)
    expect(list.text).not.toMatch(/hash/i)
  })

  it('does not list another user\'s tokens', async () => {
    const { client: owner } = await signedIn('admin')
    await makeToken(owner, { name: 'owner only' })
    const { client: other } = await signedIn('admin')
    expect((await other.get('/api/tokens')).json).toEqual([])
  })

  it('refuses a malformed token body naming the field', async () => {
    const { client } = await signedIn('viewer')
    const response = await client.post('/api/tokens', { name: 'x', scope: 'admin', expiresAt: '2001-01-01T00:00:00Z' })
    expect(response.status).toBe(400)
    const paths = response.json.data.issues.map((issue: { path: string }) => issue.path)
    expect(paths).toEqual(expect.arrayContaining(['scope', 'expiresAt']))
  })
})

describe('revoking a token', () => {
  it('answers 204 and refuses the token from the next request on', async () => {
    const { client } = await signedIn('editor')
    const made = await makeToken(client)
    expect((await script().get('/api/auth/me', bearer(made.token))).status).toBe(200)
    const revoked = await client.delete(`/api/tokens/${made.id}`)
    expect(revoked.status).toBe(204)
    expect(revoked.text).toBe('')
    expect((await script().get('/api/auth/me', bearer(made.token))).status).toBe(401)
    expect((await client.get('/api/tokens')).json).toEqual([])
  })

  it('answers 404 for another user\'s token and for another org\'s, and leaves them working', async () => {
    const { client: owner } = await signedIn('editor')
    const made = await makeToken(owner)
    const { client: sameOrgAdmin } = await signedIn('admin')
    expect((await sameOrgAdmin.delete(`/api/tokens/${made.id}`)).status).toBe(404)
    const { client: outsider } = await signedIn('admin', (await buildOrg('Elsewhere')).id)
    expect((await outsider.delete(`/api/tokens/${made.id}`)).status).toBe(404)
    expect((await script().get('/api/auth/me', bearer(made.token))).status).toBe(200)
  })
})

describe('what a token may do', () => {
  it('lets a read token GET but refuses it every change', async () => {
    const { client } = await signedIn('editor')
    const made = await makeToken(client, { scope: 'read' })
    expect((await script().get('/api/queries', bearer(made.token))).status).toBe(200)
    const write = await script().post('/api/queries', { name: 'x' }, bearer(made.token))
    expect(write.status).toBe(403)
    expect(write.json.message).toMatch(/read-only/)
    expect((await script().request('DELETE', `/api/tokens/${made.id}`, undefined, bearer(made.token))).status).toBe(403)
  })

  it('cannot mint another token', async () => {
    const { client } = await signedIn('admin')
    const made = await makeToken(client, { scope: 'write' })
    const minted = await script().post('/api/tokens', { name: 'child' }, bearer(made.token))
    expect(minted.status).toBe(403)
    expect((await client.get('/api/tokens')).json).toHaveLength(1)
  })

  it('never has more than its owner: an editor\'s write token is refused an admin route', async () => {
    const { client } = await signedIn('editor')
    const made = await makeToken(client)
    expect((await script().get('/api/admin/users', bearer(made.token))).status).toBe(403)
  })

  it('stops working once it expires', async () => {
    const { client } = await signedIn('viewer')
    const made = await makeToken(client, { expiresAt: new Date(Date.now() + 60_000).toISOString() })
    expect((await script().get('/api/auth/me', bearer(made.token))).status).toBe(200)
    await useDb().update(apiTokens).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(apiTokens.id, made.id))
    const expired = await script().get('/api/auth/me', bearer(made.token))
    expect(expired.status).toBe(401)
    expect(expired.json.message).toMatch(/expired/)
  })

  it('stops working at once when its owner is removed from the org', async () => {
    const { client: admin } = await signedIn('admin')
    const { member, client } = await signedIn('editor')
    const made = await makeToken(client)
    expect((await script().get('/api/queries', bearer(made.token))).status).toBe(200)
    expect((await admin.delete(`/api/admin/users/${member.id}`)).status).toBe(204)
    expect((await script().get('/api/queries', bearer(made.token))).status).toBe(401)
  })

  it('stops working at once when its owner is demoted below the role it was made with', async () => {
    const { client: admin } = await signedIn('admin')
    const { member, client } = await signedIn('admin')
    const made = await makeToken(client)
    expect((await script().get('/api/admin/users', bearer(made.token))).status).toBe(200)
    expect((await admin.patch(`/api/admin/users/${member.id}`, { role: 'editor' })).status).toBe(200)
    const demoted = await script().get('/api/auth/me', bearer(made.token))
    expect(demoted.status).toBe(401)
    expect(demoted.json.message).toMatch(/no longer has/)
  })
})

describe('token use in the audit log', () => {
  it('writes one token.use row for the first use of the day, not one per request', async () => {
    const { client } = await signedIn('viewer')
    const made = await makeToken(client)
    for (let call = 0; call < 3; call++) expect((await script().get('/api/auth/me', bearer(made.token))).status).toBe(200)
    const rows = await useDb().select().from(auditLog)
      .where(and(eq(auditLog.action, 'token.use'), eq(auditLog.apiTokenId, made.id)))
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ actorType: 'token', orgId, targetType: 'token', targetId: made.id })
  })
})
