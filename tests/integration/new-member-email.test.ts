import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type RunningApp } from '../support/app'
import { buildMember, buildOrg, TEST_PASSWORD } from '../support/builders'
import { useTestDatabase } from '../support/database'
import { ApiClient } from '../support/http'

let app: RunningApp
let admin: ApiClient
let ownMember: { email: string }
let outsider: { email: string, name: string }

beforeAll(async () => {
  const databaseUrl = await useTestDatabase()
  app = await startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'web' })
  const org = await buildOrg('Ours')
  const otherOrg = await buildOrg('Theirs')
  ownMember = await buildMember(org.id, 'viewer')
  outsider = await buildMember(otherOrg.id, 'editor')
  admin = new ApiClient(app.url)
  await admin.login((await buildMember(org.id, 'admin')).email, TEST_PASSWORD)
})
afterAll(() => app?.stop())

const addUser = (email: string) => admin.post('/api/admin/users', { email, name: 'Probe', password: 'a-new-password', role: 'viewer' })

describe('adding a user whose email another org\'s user has', () => {
  it('answers exactly as for an email a member of this org has: no way to tell the other org has it', async () => {
    const takenHere = await addUser(ownMember.email)
    const takenElsewhere = await addUser(outsider.email)
    const takenElsewhereOtherCase = await addUser(outsider.email.toUpperCase())
    expect(takenHere.status).toBe(409)
    for (const answer of [takenElsewhere, takenElsewhereOtherCase]) {
      expect(answer.status).toBe(takenHere.status)
      expect({ ...answer.json, url: undefined }).toEqual({ ...takenHere.json, url: undefined })
    }
    expect(takenElsewhere.text).not.toMatch(/org|another|other|elsewhere/i)
  })

  it('changes nothing for the other org\'s user, and still creates a user with a new email', async () => {
    await addUser(outsider.email)
    const members = (await admin.get('/api/admin/users')).json.map((member: { email: string }) => member.email)
    expect(members).not.toContain(outsider.email)
    const outsiderClient = new ApiClient(app.url)
    await outsiderClient.login(outsider.email, TEST_PASSWORD)
    expect((await outsiderClient.get('/api/auth/me')).json).toMatchObject({ user: { email: outsider.email, name: outsider.name }, org: { name: 'Theirs' } })
    expect((await addUser('brand-new@example.test')).status).toBe(201)
  })
})
