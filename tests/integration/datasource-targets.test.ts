// An org admin pointed a datasource at Tessera's own metadata database and read every
// org's users and secrets; the test route told closed, open and auth-failed ports apart.
// These tests start a web process with the default deny list (the integration tests
// otherwise allow every host, since their datasources share the metadata server).
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { datasources } from '../../db/schema'
import { useDb } from '../../server/utils/db'
import { startApp, type RunningApp } from '../support/app'
import { buildMember, buildOrg, TEST_PASSWORD } from '../support/builders'
import { useTestDatabase } from '../support/database'
import { buildDatasource, settingsForUrl } from '../support/engine-builders'
import { ApiClient } from '../support/http'
import { freePort } from '../../scripts/free-port.mjs'

let databaseUrl: string
let web: RunningApp
let orgId: string

async function signedIn(role: 'admin' | 'editor') {
  const member = await buildMember(orgId, role)
  const client = new ApiClient(web.url)
  await client.login(member.email, TEST_PASSWORD)
  return client
}

beforeAll(async () => {
  databaseUrl = await useTestDatabase()
  // '' is unset: the default deny list, Tessera's own metadata server
  web = await startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'web', TESSERA_DATASOURCE_DENY_HOSTS: '' })
  orgId = (await buildOrg()).id
})

afterAll(async () => {
  await web?.stop()
})

describe('datasource targets', () => {
  it('refuses a datasource pointing at Tessera\'s own metadata server, under any name for it', async () => {
    const admin = await signedIn('admin')
    const { config, password } = settingsForUrl(databaseUrl)
    for (const host of [config.host as string, 'localhost', '0.0.0.0', '127.0.0.2']) {
      const tested = await admin.post('/api/datasources/test', { type: 'postgres', config: { ...config, host, password } })
      expect(tested.status).toBe(200)
      expect(tested.json, host).toMatchObject({ ok: false, error: expect.stringMatching(/may not connect to .*TESSERA_DATASOURCE_DENY_HOSTS/) })
    }
  })

  it('tells a non-admin only that a saved datasource could not be reached, the same for a closed port and a denied host', async () => {
    const editor = await signedIn('editor')
    const denied = await buildDatasource(orgId, databaseUrl, { name: 'metadata server' })
    const closed = await buildDatasource(orgId, databaseUrl, { name: 'closed port' })
    await useDb().update(datasources).set({ config: { ...closed.config, host: 'localhost', port: await freePort() } }).where(eq(datasources.id, closed.id))
    const answers = await Promise.all([denied.id, closed.id].map(async id => (await editor.post(`/api/datasources/${id}/test`)).json))
    expect(answers[0]).toEqual({ ok: false, warnings: [], error: 'Could not connect to this datasource; an admin can test it to see why.' })
    expect(answers[1]).toEqual(answers[0])
    const admin = await signedIn('admin')
    expect((await admin.post(`/api/datasources/${closed.id}/test`)).json.error).toMatch(/ECONNREFUSED|refused/i)
    expect((await admin.post(`/api/datasources/${denied.id}/test`)).json.error).toMatch(/may not connect/)
  })
})
