import { and, asc, eq, like } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { auditLog } from '../../db/schema'
import { useDb } from '../../server/utils/db'
import { createDatabase } from '../../scripts/create-database.mjs'
import type { Role } from '#shared/roles'
import { startApp, type RunningApp } from '../support/app'
import { buildMember, buildOrg, TEST_PASSWORD } from '../support/builders'
import { useTestDatabase } from '../support/database'
import { ApiClient } from '../support/http'

const NEW_PASSWORD = 'a brand new password'

let app: RunningApp
let orgId: string
let admin: ApiClient

beforeAll(async () => {
  const databaseUrl = await useTestDatabase()
  orgId = (await buildOrg()).id
  app = await startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'web' })
  admin = await signIn((await buildMember(orgId, 'admin')).email)
})
afterAll(() => app?.stop())

async function signIn(email: string, password = TEST_PASSWORD) {
  const client = new ApiClient(app.url)
  await client.login(email, password)
  return client
}

/** A member with two sessions (say, laptop and phone) and a write API token. */
async function memberWithTwoSessionsAndToken(role: Role = 'viewer') {
  const member = await buildMember(orgId, role)
  const laptop = await signIn(member.email)
  const phone = await signIn(member.email)
  const token = (await laptop.post('/api/tokens', { name: 'nightly script', scope: 'write' })).json.token as string
  return { member, laptop, phone, token }
}

const signInStatus = async (email: string, password: string) => (await new ApiClient(app.url).post('/api/auth/login', { email, password })).status
const meStatus = async (client: ApiClient) => (await client.get('/api/auth/me')).status
const tokenStatus = async (token: string) => (await new ApiClient(app.url).get('/api/auth/me', { authorization: `Bearer ${token}` })).status

/** The `user.*` audit rows about a user, oldest first; they are written as the answer goes out, so wait for `count`. */
async function auditRowsAbout(userId: string, count: number) {
  const deadline = Date.now() + 5_000
  for (;;) {
    const rows = await useDb().select().from(auditLog)
      .where(and(eq(auditLog.targetType, 'user'), eq(auditLog.targetId, userId), like(auditLog.action, 'user.%')))
      .orderBy(asc(auditLog.createdAt), asc(auditLog.id))
    if (rows.length >= count || Date.now() > deadline) return rows
    await new Promise(done => setTimeout(done, 50))
  }
}

describe('changing your own password', () => {
  it('signs the user\'s other sessions out, keeps the one that changed it and the API tokens, and retires the old password', async () => {
    const { member, laptop, phone, token } = await memberWithTwoSessionsAndToken()
    const changed = await laptop.post('/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD })
    expect(changed.status).toBe(200)
    expect(await meStatus(laptop)).toBe(200)
    expect(await meStatus(phone)).toBe(401)
    expect(await tokenStatus(token)).toBe(200)
    expect(await signInStatus(member.email, TEST_PASSWORD)).toBe(401)
    expect(await signInStatus(member.email, NEW_PASSWORD)).toBe(200)
    const [row] = await auditRowsAbout(member.id, 1)
    expect(row).toMatchObject({ action: 'user.password_change', outcome: 'success', userId: member.id })
    expect(JSON.stringify(row)).not.toContain(NEW_PASSWORD)
  })

  it('refuses a wrong current password with a 400 naming the field, and changes nothing', async () => {
    const { member, laptop, phone } = await memberWithTwoSessionsAndToken()
    const refused = await laptop.post('/api/auth/password', { currentPassword: 'not my password', newPassword: NEW_PASSWORD })
    expect(refused.status).toBe(400)
    expect(refused.json.data.issues).toEqual([{ path: 'currentPassword', message: 'is not your current password' }])
    expect(await meStatus(phone)).toBe(200)
    expect(await signInStatus(member.email, TEST_PASSWORD)).toBe(200)
    expect(await signInStatus(member.email, NEW_PASSWORD)).toBe(401)
    const [row] = await auditRowsAbout(member.id, 1)
    expect(row).toMatchObject({ action: 'user.password_change', outcome: 'failure' })
  })

  it('refuses a new password that is too short or unchanged, naming newPassword', async () => {
    const { laptop } = await memberWithTwoSessionsAndToken()
    for (const newPassword of ['short', TEST_PASSWORD]) {
      const refused = await laptop.post('/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword })
      expect(refused.status).toBe(400)
      expect(refused.json.data.issues.map((issue: { path: string }) => issue.path)).toEqual(['newPassword'])
    }
  })

  it('counts wrong current passwords like failed sign-ins: past the limit, even the right one waits (429)', async () => {
    const { laptop } = await memberWithTwoSessionsAndToken()
    for (let attempt = 1; attempt <= 10; attempt++) {
      expect((await laptop.post('/api/auth/password', { currentPassword: `guess ${attempt}`, newPassword: NEW_PASSWORD })).status).toBe(400)
    }
    const limited = await laptop.post('/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD })
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBeTruthy()
  })

  it('is refused to an API token, even a write one', async () => {
    const { token } = await memberWithTwoSessionsAndToken()
    const refused = await new ApiClient(app.url).post('/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD }, { authorization: `Bearer ${token}` })
    expect(refused.status).toBe(403)
  })
})

describe('an admin resetting a member\'s password', () => {
  it('generates one shown once, signs the member out everywhere, and leaves their tokens and everyone else alone', async () => {
    const { member, laptop, phone, token } = await memberWithTwoSessionsAndToken('editor')
    const bystander = await signIn((await buildMember(orgId, 'viewer')).email)
    const reset = await admin.post(`/api/admin/users/${member.id}/password`, {})
    expect(reset.status).toBe(200)
    expect(reset.json).toMatchObject({ id: member.id, generated: true, password: expect.stringMatching(/^\S{16}$/) })
    expect(await meStatus(laptop)).toBe(401)
    expect(await meStatus(phone)).toBe(401)
    expect(await tokenStatus(token)).toBe(200)
    expect(await meStatus(bystander)).toBe(200)
    expect(await meStatus(admin)).toBe(200)
    expect(await signInStatus(member.email, TEST_PASSWORD)).toBe(401)
    expect(await signInStatus(member.email, reset.json.password)).toBe(200)
    const [row] = await auditRowsAbout(member.id, 1)
    expect(row).toMatchObject({ action: 'user.password_reset', outcome: 'success' })
    expect(JSON.stringify(row)).not.toContain(reset.json.password)
  })

  it('sets the password the admin chose, without sending it back', async () => {
    const member = await buildMember(orgId, 'viewer')
    const reset = await admin.post(`/api/admin/users/${member.id}/password`, { password: NEW_PASSWORD })
    expect(reset.json).toEqual({ id: member.id, generated: false })
    expect(await signInStatus(member.email, NEW_PASSWORD)).toBe(200)
  })

  it('refuses the admin\'s own account (400), another org\'s member (404) and a too-short password (400)', async () => {
    const me = (await admin.get('/api/auth/me')).json.user.id
    const own = await admin.post(`/api/admin/users/${me}/password`, {})
    expect(own.status).toBe(400)
    expect(own.json.data.issues).toEqual([expect.objectContaining({ path: 'id' })])
    const outsider = await buildMember((await buildOrg('Elsewhere')).id, 'viewer')
    expect((await admin.post(`/api/admin/users/${outsider.id}/password`, {})).status).toBe(404)
    expect(await signInStatus(outsider.email, TEST_PASSWORD)).toBe(200)
    const member = await buildMember(orgId, 'viewer')
    const short = await admin.post(`/api/admin/users/${member.id}/password`, { password: 'short' })
    expect(short.status).toBe(400)
    expect(short.json.data.issues).toEqual([expect.objectContaining({ path: 'password' })])
  })
})

describe('adding a removed user again', () => {
  it('restores them with the role and password given, as the same user, without their old sessions or tokens', async () => {
    const { member, laptop, token } = await memberWithTwoSessionsAndToken('viewer')
    expect((await admin.delete(`/api/admin/users/${member.id}`)).status).toBe(204)
    expect(await signInStatus(member.email, TEST_PASSWORD)).toBe(401)
    const readded = await admin.post('/api/admin/users', { email: member.email.toUpperCase(), name: 'Back Again', password: NEW_PASSWORD, role: 'editor' })
    expect(readded.status).toBe(201)
    expect(readded.json).toEqual({ id: member.id, email: member.email, name: 'Back Again', role: 'editor' })
    expect(await meStatus(laptop)).toBe(401)
    expect(await tokenStatus(token)).toBe(401)
    expect(await signInStatus(member.email, TEST_PASSWORD)).toBe(401)
    const back = await signIn(member.email, NEW_PASSWORD)
    expect((await back.get('/api/auth/me')).json).toMatchObject({ user: { id: member.id, name: 'Back Again' }, role: 'editor', org: { id: orgId } })
    const listed = (await admin.get('/api/admin/users')).json.filter((row: { id: string }) => row.id === member.id)
    expect(listed).toEqual([expect.objectContaining({ role: 'editor' })])
    // the log shows the removal and the return of one user id
    const rows = await auditRowsAbout(member.id, 2)
    expect(rows.map(row => row.action)).toEqual(['user.remove', 'user.create'])
  })

  it('still answers 409 for a member of this org', async () => {
    const member = await buildMember(orgId, 'viewer')
    const taken = await admin.post('/api/admin/users', { email: member.email, name: 'Twin', password: NEW_PASSWORD, role: 'admin' })
    expect(taken.status).toBe(409)
    expect(await signInStatus(member.email, TEST_PASSWORD)).toBe(200)
  })
})

describe('the first admin\'s generated password', () => {
  it('is printed once at start-up and can be changed from the first session', async () => {
    const databaseUrl = await createDatabase(inject('postgresServerUrl'), `tessera_accounts_${Date.now()}_${Math.floor(Math.random() * 1e6)}`)
    const fresh = await startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'web', TESSERA_ADMIN_EMAIL: 'owner@example.test' })
    try {
      const printed = fresh.output().match(/Password:\s+(\S+)/)?.[1]
      expect(printed).toBeTruthy()
      const owner = new ApiClient(fresh.url)
      await owner.login('owner@example.test', printed!)
      expect((await owner.post('/api/auth/password', { currentPassword: printed, newPassword: NEW_PASSWORD })).status).toBe(200)
      expect(await meStatus(owner)).toBe(200)
      const again = new ApiClient(fresh.url)
      expect((await again.post('/api/auth/login', { email: 'owner@example.test', password: printed })).status).toBe(401)
      expect((await again.post('/api/auth/login', { email: 'owner@example.test', password: NEW_PASSWORD })).status).toBe(200)
    }
    finally {
      await fresh.stop()
    }
  })
})
