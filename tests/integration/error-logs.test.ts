import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type RunningApp } from '../support/app'
import { buildMember, buildOrg, TEST_PASSWORD } from '../support/builders'
import { queryDatabase, useTestDatabase } from '../support/database'
import { settingsForUrl } from '../support/engine-builders'
import { ApiClient } from '../support/http'

// A name the test makes the database refuse, so an insert fails the way a real constraint
// violation, a full disk or a bad migration would: inside the database, after the values
// (a password hash, an encrypted datasource password) were bound.
const REFUSED_NAME = 'Refused by the test constraint'
const NEW_USER = { email: 'leak-check@example.test', name: REFUSED_NAME, password: 'user-password-in-plain', role: 'viewer' }
const DATASOURCE_PASSWORD = 'datasource-password-in-plain'

let databaseUrl: string
let app: RunningApp
let admin: ApiClient

beforeAll(async () => {
  databaseUrl = await useTestDatabase()
  app = await startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'web' })
  const orgId = (await buildOrg()).id
  const member = await buildMember(orgId, 'admin')
  admin = new ApiClient(app.url)
  await admin.login(member.email, TEST_PASSWORD)
  await queryDatabase(databaseUrl, `ALTER TABLE users ADD CONSTRAINT users_refused_by_test CHECK (name <> '${REFUSED_NAME}');
                                    ALTER TABLE datasources ADD CONSTRAINT datasources_refused_by_test CHECK (name <> '${REFUSED_NAME}')`)
})
afterAll(() => app?.stop())

/** The log lines written since `from`, once the one naming `constraint` has arrived. */
async function logAfter(from: number, constraint: string): Promise<string> {
  await app.waitForOutput(constraint, 10_000)
  return app.output().slice(from)
}

function expectNoBoundValues(text: string) {
  expect(text).not.toContain('$argon2id$')
  expect(text).not.toMatch(/v1:[\w+/=]+:[\w+/=]+:/)
  expect(text).not.toContain(NEW_USER.email)
  expect(text).not.toContain(NEW_USER.password)
  expect(text).not.toContain(DATASOURCE_PASSWORD)
  expect(text).not.toContain('Failing row contains')
  expect(text).not.toMatch(/params:\s*\S/)
}

describe('a failed insert in the log', () => {
  it('names the query and the constraint but not a new user\'s email or password hash', async () => {
    const from = app.output().length
    const response = await admin.post('/api/admin/users', NEW_USER)
    expect(response.status).toBe(500)
    const log = await logAfter(from, 'users_refused_by_test')
    expect(log).toMatch(/insert into \\"users\\"/)
    expectNoBoundValues(log)
    expectNoBoundValues(response.text)
  })

  it('names the query and the constraint but not a datasource\'s encrypted password', async () => {
    const settings = settingsForUrl(databaseUrl)
    const from = app.output().length
    const response = await admin.post('/api/datasources', { name: REFUSED_NAME, type: 'postgres', config: { ...settings.config, password: DATASOURCE_PASSWORD } })
    expect(response.status).toBe(500)
    const log = await logAfter(from, 'datasources_refused_by_test')
    expect(log).toMatch(/insert into \\"datasources\\"/)
    expectNoBoundValues(log)
    expectNoBoundValues(response.text)
  })
})
