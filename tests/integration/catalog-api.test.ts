import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { datasources } from '../../db/schema'
import { decryptSecret } from '../../server/connectors/secrets'
import { useDb } from '../../server/utils/db'
import { startApp, type RunningApp } from '../support/app'
import { buildMember, buildOrg, grantEveryone, TEST_PASSWORD } from '../support/builders'
import { useTestDatabase } from '../support/database'
import { settingsForUrl } from '../support/engine-builders'
import { ApiClient } from '../support/http'

let databaseUrl: string
let web: RunningApp
let orgId: string
let admin: ApiClient
let editor: ApiClient
let viewer: ApiClient
let outsider: ApiClient

async function signedIn(inOrg: string, role: 'viewer' | 'editor' | 'admin') {
  const member = await buildMember(inOrg, role)
  const client = new ApiClient(web.url)
  await client.login(member.email, TEST_PASSWORD)
  return client
}

function validConfig() {
  const settings = settingsForUrl(databaseUrl)
  return { ...settings.config, password: settings.password }
}

async function createDatasource(name = 'Warehouse') {
  const response = await admin.post('/api/datasources', { name, type: 'postgres', config: validConfig() })
  expect(response.status, response.text).toBe(201)
  await grantEveryone(orgId, response.json.id)
  return response.json
}

beforeAll(async () => {
  databaseUrl = await useTestDatabase()
  web = await startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'web' })
  orgId = (await buildOrg()).id
  ;[admin, editor, viewer, outsider] = await Promise.all([
    signedIn(orgId, 'admin'), signedIn(orgId, 'editor'), signedIn(orgId, 'viewer'), signedIn((await buildOrg('Other')).id, 'admin'),
  ])
})

afterAll(() => web?.stop())

describe('datasources API', () => {
  it('stores the password encrypted and never returns it, only hasPassword', async () => {
    const created = await createDatasource()
    const password = validConfig().password!
    expect(created).toMatchObject({ name: 'Warehouse', type: 'postgres', hasPassword: true, config: { host: expect.any(String), sslmode: 'disable' } })
    expect(created.config.password).toBeUndefined()
    const [row] = await useDb().select().from(datasources).where(eq(datasources.id, created.id))
    for (const response of [await admin.get('/api/datasources'), await admin.get(`/api/datasources/${created.id}`), await editor.get(`/api/datasources/${created.id}`)]) {
      expect(response.status).toBe(200)
      expect(response.text).not.toMatch(/"password"|encrypted/i)
      expect(response.text).not.toContain(row!.encryptedPassword!.split(':')[3])
    }
    expect(row!.encryptedPassword).not.toContain(password)
    expect(decryptSecret(row!.encryptedPassword!)).toBe(password)
  })

  it('keeps the stored password when a PATCH omits it, and replaces it when given', async () => {
    const created = await createDatasource('Patched')
    const { password: _password, ...withoutPassword } = validConfig()
    const renamed = await admin.patch(`/api/datasources/${created.id}`, { name: 'Renamed', config: { ...withoutPassword, sslmode: 'disable' } })
    expect(renamed.status, renamed.text).toBe(200)
    expect(renamed.json).toMatchObject({ name: 'Renamed', hasPassword: true })
    expect((await editor.post(`/api/datasources/${created.id}/test`)).json).toMatchObject({ ok: true, serverVersion: expect.any(String) })
    await admin.patch(`/api/datasources/${created.id}`, { config: { ...withoutPassword, password: 'wrong password' } })
    // why it failed is for admins: editors learn only that it did
    expect((await editor.post(`/api/datasources/${created.id}/test`)).json).toEqual({ ok: false, warnings: [], error: expect.stringMatching(/an admin can test it/) })
    const failing = await admin.post(`/api/datasources/${created.id}/test`)
    expect(failing.json).toMatchObject({ ok: false, error: expect.stringMatching(/password/i) })
  })

  it('answers invalid bodies with 400 and issues naming each field', async () => {
    const response = await admin.post('/api/datasources', { name: '', type: 'mysql', config: { host: 'db; rm -rf', port: 'abc', database: 'x', user: 'u', sslmode: 'sometimes' } })
    expect(response.status).toBe(400)
    const paths = response.json.data.issues.map((issue: { path: string }) => issue.path).sort()
    expect(paths).toEqual(['config.host', 'config.port', 'config.sslmode', 'name', 'type'])
  })

  it('lets viewers list names only, and only admins write', async () => {
    const created = await createDatasource('Visible')
    const listed = (await viewer.get('/api/datasources')).json.find((item: { id: string }) => item.id === created.id)
    expect(listed).toEqual({ id: created.id, name: 'Visible', type: 'postgres', access: 'query' })
    expect((await editor.post('/api/datasources', { name: 'x', type: 'postgres', config: validConfig() })).status).toBe(403)
    expect((await editor.patch(`/api/datasources/${created.id}`, { name: 'x' })).status).toBe(403)
    expect((await editor.delete(`/api/datasources/${created.id}`)).status).toBe(403)
    expect((await viewer.get(`/api/datasources/${created.id}/schema`)).status).toBe(403)
  })

  it('hides another org\'s datasource behind a 404', async () => {
    const created = await createDatasource('Private')
    expect((await outsider.get(`/api/datasources/${created.id}`)).status).toBe(404)
    expect((await outsider.patch(`/api/datasources/${created.id}`, { name: 'mine now' })).status).toBe(404)
    expect((await outsider.delete(`/api/datasources/${created.id}`)).status).toBe(404)
    expect((await outsider.post(`/api/datasources/${created.id}/test`)).status).toBe(404)
    expect((await outsider.get('/api/datasources')).json.map((item: { id: string }) => item.id)).not.toContain(created.id)
    expect((await admin.get('/api/datasources/not-a-uuid')).status).toBe(400)
  })

  it('tests an unsaved config and browses the schema (cached, refreshable)', async () => {
    expect((await admin.post('/api/datasources/test', { type: 'postgres', config: validConfig() })).json).toMatchObject({ ok: true })
    const created = await createDatasource('Browsed')
    const first = await editor.get(`/api/datasources/${created.id}/schema`)
    expect(first.status).toBe(200)
    const runsTable = first.json.tables.find((table: { schema: string, name: string }) => table.schema === 'public' && table.name === 'runs')
    expect(runsTable.columns).toContainEqual({ name: 'cache_key', type: 'text', nullable: false })
    const again = await editor.get(`/api/datasources/${created.id}/schema`)
    expect(again.json.loadedAt).toBe(first.json.loadedAt)
    const refreshed = await editor.get(`/api/datasources/${created.id}/schema?refresh=1`)
    expect(refreshed.json.loadedAt).not.toBe(first.json.loadedAt)
  })

  it('refuses to delete a datasource that queries use (409), and deletes an unused one', async () => {
    const used = await createDatasource('Used')
    await editor.post('/api/queries', { name: 'uses it', datasourceId: used.id, sql: 'SELECT 1' })
    const refused = await admin.delete(`/api/datasources/${used.id}`)
    expect(refused.status).toBe(409)
    expect(refused.json.message).toMatch(/1 saved query uses/)
    const unused = await createDatasource('Unused')
    expect((await admin.delete(`/api/datasources/${unused.id}`)).status).toBe(204)
    expect((await admin.get(`/api/datasources/${unused.id}`)).status).toBe(404)
  })
})

describe('queries API', () => {
  let datasourceId: string
  beforeAll(async () => {
    datasourceId = (await createDatasource('For queries')).id
  })

  it('creates a query as version 1, and each change of its SQL saves the next version', async () => {
    const created = await editor.post('/api/queries', {
      name: 'Outages', datasourceId, sql: 'SELECT {{n}}', tags: ['ops'], parameters: [{ name: 'n', type: 'integer', default: 3 }], options: { timeoutMs: 1000 },
    })
    expect(created.status, created.text).toBe(201)
    expect(created.json).toMatchObject({ version: 1, archived: false, tags: ['ops'], parameters: [{ name: 'n', type: 'integer', default: 3 }], options: { timeoutMs: 1000 }, lastRun: null })
    const id = created.json.id
    const changed = await editor.patch(`/api/queries/${id}`, { sql: 'SELECT {{n}} + 1' })
    expect(changed.json).toMatchObject({ version: 2, sql: 'SELECT {{n}} + 1' })
    const tagged = await editor.patch(`/api/queries/${id}`, { tags: ['ops', 'daily'] })
    expect(tagged.json.version).toBe(2)
    const versions = await viewer.get(`/api/queries/${id}/versions`)
    expect(versions.json.map((version: { version: number, sql: string }) => [version.version, version.sql])).toEqual([[2, 'SELECT {{n}} + 1'], [1, 'SELECT {{n}}']])
    const restored = await editor.post(`/api/queries/${id}/versions/1/restore`)
    expect(restored.json).toMatchObject({ version: 3, sql: 'SELECT {{n}}' })
    expect((await editor.post(`/api/queries/${id}/versions/99/restore`)).status).toBe(404)
  })

  it('refuses SQL that uses an undefined parameter, and defaults of the wrong type', async () => {
    const response = await editor.post('/api/queries', { name: 'broken', datasourceId, sql: 'SELECT {{missing}}, \'{{in_string}}\'', parameters: [{ name: 'd', type: 'date', default: 'someday' }] })
    expect(response.status).toBe(400)
    expect(response.json.data.issues).toEqual([
      { path: 'sql', message: 'the SQL uses {{missing}} but there is no parameter named "missing"' },
      { path: 'parameters.0.default', message: expect.stringMatching(/^default of "d" must be a date/) },
    ])
    const badDefinition = await editor.post('/api/queries', { name: 'x', datasourceId, sql: 'SELECT 1', parameters: [{ name: '1bad', type: 'colour' }, { name: 'e', type: 'enum' }] })
    expect(badDefinition.json.data.issues.map((issue: { path: string }) => issue.path).sort()).toEqual(['parameters.0.name', 'parameters.0.type', 'parameters.1.options'])
    const otherOrgsDatasource = await outsider.post('/api/queries', { name: 'x', datasourceId, sql: 'SELECT 1' })
    expect(otherOrgsDatasource.json.data.issues).toEqual([{ path: 'datasourceId', message: 'no such datasource' }])
  })

  it('lists queries with search over name and SQL, tag, owner and archived filters', async () => {
    const mine = (await editor.post('/api/queries', { name: 'Needle report', datasourceId, sql: 'SELECT 1', tags: ['finance'] })).json
    const bySql = (await admin.post('/api/queries', { name: 'Other', datasourceId, sql: 'SELECT \'haystack_needle\'' })).json
    const names = async (path: string) => (await viewer.get(path)).json.queries.map((query: { name: string }) => query.name).sort()
    expect(await names('/api/queries?q=needle')).toEqual(['Needle report', 'Other'])
    expect(await names('/api/queries?q=needle&tag=finance')).toEqual(['Needle report'])
    // a tag matches by its beginning, in any case; LIKE's wildcards are plain characters
    expect(await names('/api/queries?q=needle&tag=FIN')).toEqual(['Needle report'])
    expect(await names('/api/queries?q=needle&tag=nance')).toEqual([])
    expect(await names('/api/queries?q=needle&tag=_')).toEqual([])
    expect((await editor.get('/api/queries?q=needle&owner=me')).json.queries.map((query: { id: string }) => query.id)).toEqual([mine.id])
    expect(await names('/api/queries?q=%25')).toEqual([])
    const archived = await editor.delete(`/api/queries/${bySql.id}`)
    expect(archived.json.archived).toBe(true)
    expect(await names('/api/queries?q=needle')).toEqual(['Needle report'])
    expect(await names('/api/queries?q=needle&archived=true')).toEqual(['Other'])
    expect((await viewer.get(`/api/queries/${bySql.id}`)).json.archived).toBe(true)
    expect((await editor.patch(`/api/queries/${bySql.id}`, { archived: false })).json.archived).toBe(false)
    expect((await viewer.get('/api/queries?limit=9999')).status).toBe(400)
  })

  it('clones a query for the caller and deletes for good only for admins with ?hard=1', async () => {
    const source = (await editor.post('/api/queries', { name: 'Source', datasourceId, sql: 'SELECT {{x}}', parameters: [{ name: 'x', type: 'text' }] })).json
    const clone = await editor.post(`/api/queries/${source.id}/clone`)
    expect(clone.status).toBe(201)
    expect(clone.json).toMatchObject({ name: 'Copy of Source', version: 1, sql: 'SELECT {{x}}', parameters: source.parameters })
    expect(clone.json.id).not.toBe(source.id)
    expect((await editor.delete(`/api/queries/${clone.json.id}?hard=1`)).status).toBe(403)
    expect((await admin.delete(`/api/queries/${clone.json.id}?hard=1`)).status).toBe(204)
    expect((await viewer.get(`/api/queries/${clone.json.id}`)).status).toBe(404)
  })

  it('lets viewers read but not write, and hides other orgs\' queries', async () => {
    const query = (await editor.post('/api/queries', { name: 'Guarded', datasourceId, sql: 'SELECT 1' })).json
    expect((await viewer.get(`/api/queries/${query.id}`)).status).toBe(200)
    expect((await viewer.post('/api/queries', { name: 'x', datasourceId, sql: 'SELECT 1' })).status).toBe(403)
    expect((await viewer.patch(`/api/queries/${query.id}`, { name: 'x' })).status).toBe(403)
    expect((await viewer.delete(`/api/queries/${query.id}`)).status).toBe(403)
    expect((await outsider.get(`/api/queries/${query.id}`)).status).toBe(404)
    expect((await outsider.patch(`/api/queries/${query.id}`, { name: 'x' })).status).toBe(404)
    expect((await outsider.get(`/api/queries/${query.id}/versions`)).status).toBe(404)
    expect((await outsider.get(`/api/queries/${query.id}/runs`)).status).toBe(404)
    expect((await outsider.get('/api/queries')).json.queries).toEqual([])
  })
})
