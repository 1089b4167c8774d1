import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { and, eq, sql } from 'drizzle-orm'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditLog, datasourceGrants, groups } from '../../db/schema'
import { migrateDatabase } from '../../db/migrate'
import { useDb } from '../../server/utils/db'
import { isRunFinished } from '#shared/runs'
import { startApp, type RunningApp } from '../support/app'
import { buildMember, buildOrg, TEST_PASSWORD } from '../support/builders'
import { createTestDatabase, queryDatabase, useTestDatabase } from '../support/database'
import { buildDatasource } from '../support/engine-builders'
import { ApiClient } from '../support/http'

let databaseUrl: string
let web: RunningApp
let worker: RunningApp
let orgId: string
let admin: ApiClient

// What the org holds, on two datasources: "Ops" (granted to a group in the tests) and
// "Finance" (granted to nobody: only admins reach it).
const ops = {} as { datasourceId: string, queryId: string, runId: string, visualizationId: string }
const finance = {} as { datasourceId: string, queryId: string, runId: string, visualizationId: string, scheduleId: string }
let dashboardId: string
let groupId: string

const FINANCE_SQL = 'SELECT salary AS secret_salary_column FROM payroll_secret WHERE salary > {{floor}}'

async function signedIn(role: 'viewer' | 'editor' | 'admin') {
  const member = await buildMember(orgId, role)
  const client = new ApiClient(web.url)
  await client.login(member.email, TEST_PASSWORD)
  return { member, client }
}

async function finishedRun(client: ApiClient, queryId: string, params: Record<string, unknown> = {}) {
  const started = await client.post(`/api/queries/${queryId}/runs`, { params, maxAgeSeconds: 0 })
  expect(started.status, started.text).toBe(202)
  const deadline = Date.now() + 30_000
  for (;;) {
    const { json } = await client.get(`/api/runs/${started.json.id}`)
    if (isRunFinished(json.status)) {
      expect(json.status).toBe('succeeded')
      return json.id as string
    }
    if (Date.now() > deadline) throw new Error(`run ${started.json.id} still ${json.status}`)
    await new Promise(done => setTimeout(done, 50))
  }
}

async function queryOn(datasourceId: string, name: string, sql: string, parameters: unknown[] = []) {
  const created = await admin.post('/api/queries', { name, datasourceId, sql, parameters })
  expect(created.status, created.text).toBe(201)
  return created.json.id as string
}

async function visualizationOf(queryId: string, name: string, config: Record<string, unknown>) {
  const created = await admin.post(`/api/queries/${queryId}/visualizations`, { name, type: 'table', config })
  expect(created.status, created.text).toBe(201)
  return created.json.id as string
}

beforeAll(async () => {
  databaseUrl = await useTestDatabase()
  ;[web, worker] = await Promise.all([
    // streams re-read their runs and the caller's access every second (15 by default)
    startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'web', TESSERA_EVENTS_KEEPALIVE_SECONDS: '1' }),
    startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'worker' }),
  ])
  await queryDatabase(databaseUrl, `CREATE TABLE payroll_secret AS SELECT 90000 + g AS salary FROM generate_series(1, 3) g`)
  orgId = (await buildOrg()).id
  admin = (await signedIn('admin')).client
  ops.datasourceId = (await buildDatasource(orgId, databaseUrl, { name: 'Ops', everyone: null })).id
  finance.datasourceId = (await buildDatasource(orgId, databaseUrl, { name: 'Finance', everyone: null })).id
  ops.queryId = await queryOn(ops.datasourceId, 'Ops count', 'SELECT {{n}}::int AS ops_total', [{ name: 'n', type: 'integer', default: 7 }])
  finance.queryId = await queryOn(finance.datasourceId, 'Payroll above a floor', FINANCE_SQL, [{ name: 'floor', type: 'integer', default: 0 }])
  ops.runId = await finishedRun(admin, ops.queryId)
  finance.runId = await finishedRun(admin, finance.queryId)
  ops.visualizationId = await visualizationOf(ops.queryId, 'Ops table', { columns: [{ name: 'ops_total' }] })
  finance.visualizationId = await visualizationOf(finance.queryId, 'Payroll table', { columns: [{ name: 'secret_salary_column' }] })
  const dashboard = await admin.post('/api/dashboards', {
    name: 'Mixed',
    filters: [{ name: 'floor_filter', type: 'integer', default: 0 }],
    tiles: [
      { visualizationId: ops.visualizationId, x: 0, y: 0, w: 6, h: 3, bindings: {} },
      { visualizationId: finance.visualizationId, x: 6, y: 0, w: 6, h: 3, bindings: { floor: 'floor_filter' } },
    ],
  })
  expect(dashboard.status, dashboard.text).toBe(201)
  dashboardId = dashboard.json.id
  const schedule = await admin.post('/api/schedules', { queryId: finance.queryId, cron: '0 3 * * *', timezone: 'UTC', enabled: false })
  expect(schedule.status, schedule.text).toBe(201)
  finance.scheduleId = schedule.json.id
  const group = await admin.post('/api/groups', { name: 'Ops team' })
  expect(group.status, group.text).toBe(201)
  groupId = group.json.id
  expect((await admin.request('PUT', `/api/datasources/${ops.datasourceId}/grants/${groupId}`, { level: 'view' })).status).toBe(200)
})

afterAll(async () => {
  await Promise.all([web?.stop(), worker?.stop()])
})

async function memberOfOpsTeam(role: 'viewer' | 'editor' = 'editor') {
  const signed = await signedIn(role)
  expect((await admin.request('PUT', `/api/groups/${groupId}/members/${signed.member.id}`)).status).toBe(200)
  return signed
}

// Every route that reads or changes something of the Finance datasource, with an unknown
// id of the same kind in its place: the two must answer alike.
const UNKNOWN = '00000000-0000-4000-8000-000000000000'
function financeRoutes(ids = finance): { method: string, path: string, body?: unknown }[] {
  return [
    { method: 'GET', path: `/api/datasources/${ids.datasourceId}` },
    { method: 'GET', path: `/api/datasources/${ids.datasourceId}/schema` },
    { method: 'POST', path: `/api/datasources/${ids.datasourceId}/test`, body: {} },
    { method: 'POST', path: '/api/runs', body: { datasourceId: ids.datasourceId, sql: 'SELECT 1' } },
    { method: 'POST', path: '/api/runs/estimate', body: { datasourceId: ids.datasourceId, sql: 'SELECT 1' } },
    { method: 'GET', path: `/api/queries/${ids.queryId}` },
    { method: 'PATCH', path: `/api/queries/${ids.queryId}`, body: { sql: 'SELECT 2' } },
    { method: 'DELETE', path: `/api/queries/${ids.queryId}` },
    { method: 'POST', path: `/api/queries/${ids.queryId}/clone`, body: {} },
    { method: 'POST', path: `/api/queries/${ids.queryId}/estimate`, body: {} },
    { method: 'POST', path: `/api/queries/${ids.queryId}/runs`, body: {} },
    { method: 'GET', path: `/api/queries/${ids.queryId}/runs` },
    { method: 'GET', path: `/api/queries/${ids.queryId}/versions` },
    { method: 'POST', path: `/api/queries/${ids.queryId}/versions/1/restore`, body: {} },
    { method: 'GET', path: `/api/queries/${ids.queryId}/visualizations` },
    { method: 'POST', path: `/api/queries/${ids.queryId}/visualizations`, body: { name: 'mine', type: 'table', config: {} } },
    { method: 'GET', path: `/api/queries/${ids.queryId}/parameters/floor/options` },
    { method: 'GET', path: `/api/runs/${ids.runId}` },
    { method: 'POST', path: `/api/runs/${ids.runId}/cancel`, body: {} },
    { method: 'GET', path: `/api/runs/${ids.runId}/events` },
    { method: 'GET', path: `/api/runs/${ids.runId}/result?offset=0&limit=10` },
    { method: 'GET', path: `/api/runs/${ids.runId}/result.csv` },
    { method: 'GET', path: `/api/runs/${ids.runId}/result.json` },
    { method: 'GET', path: `/api/runs/${ids.runId}/result.xlsx` },
    { method: 'GET', path: `/api/visualizations/${ids.visualizationId}` },
    { method: 'PATCH', path: `/api/visualizations/${ids.visualizationId}`, body: { name: 'renamed' } },
    { method: 'DELETE', path: `/api/visualizations/${ids.visualizationId}` },
    { method: 'GET', path: `/api/schedules/${ids.scheduleId}` },
    { method: 'PATCH', path: `/api/schedules/${ids.scheduleId}`, body: { enabled: true } },
    { method: 'DELETE', path: `/api/schedules/${ids.scheduleId}` },
    { method: 'GET', path: `/api/schedules/${ids.scheduleId}/firings` },
    { method: 'PUT', path: `/api/favorites/queries/${ids.queryId}` },
  ]
}

const secrets = [FINANCE_SQL, 'payroll_secret', 'secret_salary_column', 'Payroll above a floor', 'Payroll table', '90001']

function expectNoFinanceSecrets(text: string) {
  for (const secret of secrets) expect(text).not.toContain(secret)
}

describe('a datasource granted to no group of the caller', () => {
  it('answers every route that touches it exactly like an unknown id (404), with none of its data, SQL or columns', async () => {
    const { client } = await signedIn('editor')
    const unknown = { datasourceId: UNKNOWN, queryId: UNKNOWN, runId: UNKNOWN, visualizationId: UNKNOWN, scheduleId: UNKNOWN }
    const hidden = financeRoutes()
    const missing = financeRoutes(unknown)
    for (const [index, route] of hidden.entries()) {
      const answer = await client.request(route.method, route.path, route.body)
      const twin = await client.request(missing[index]!.method, missing[index]!.path, missing[index]!.body)
      // the error body names the requested URL; everything else must be the same
      const { url: _url, ...body } = answer.json ?? {}
      const { url: _twinUrl, ...twinBody } = twin.json ?? {}
      expect({ route: `${route.method} ${route.path}`, status: answer.status, body })
        .toEqual({ route: `${route.method} ${route.path}`, status: twin.status, body: twinBody })
      expect(answer.status, `${route.method} ${route.path}`).toBe(404)
      expectNoFinanceSecrets(answer.text)
    }
    // and it is all still there: nothing was changed or deleted by those requests
    expect((await admin.get(`/api/queries/${finance.queryId}`)).json.sql).toBe(FINANCE_SQL)
    expect((await admin.get(`/api/visualizations/${finance.visualizationId}`)).status).toBe(200)
    expect((await admin.get(`/api/schedules/${finance.scheduleId}`)).json.enabled).toBe(false)
  })

  it('leaves it and what reads it out of every list, and refuses it in bodies as if unknown', async () => {
    const { client } = await signedIn('editor')
    const lists = await Promise.all(['/api/datasources', '/api/queries', '/api/visualizations', '/api/schedules', '/api/favorites'].map(path => client.get(path)))
    for (const list of lists) {
      expect(list.status).toBe(200)
      expectNoFinanceSecrets(list.text)
      expect(list.text).not.toContain(finance.datasourceId)
    }
    const newQuery = await client.post('/api/queries', { name: 'sneaky', datasourceId: finance.datasourceId, sql: 'SELECT 1' })
    const unknownQuery = await client.post('/api/queries', { name: 'sneaky', datasourceId: UNKNOWN, sql: 'SELECT 1' })
    expect(newQuery.status).toBe(400)
    expect(newQuery.json).toEqual(unknownQuery.json)
    const schedule = await client.post('/api/schedules', { queryId: finance.queryId, cron: '0 3 * * *', timezone: 'UTC' })
    expect(schedule.status).toBe(400)
    expect(schedule.json).toEqual((await client.post('/api/schedules', { queryId: UNKNOWN, cron: '0 3 * * *', timezone: 'UTC' })).json)
    const dashboard = await client.post('/api/dashboards', { name: 'mine', tiles: [{ visualizationId: finance.visualizationId, x: 0, y: 0, w: 4, h: 2 }] })
    expect(dashboard.status).toBe(400)
    expect(dashboard.json.data.issues).toEqual([{ path: 'tiles.0.visualizationId', message: 'no such visualization in this org' }])
  })

  it('shows its dashboard tile as "no access": its place only, no run started, no data, SQL, columns or parameters', async () => {
    const { client } = await memberOfOpsTeam('viewer')
    const view = await client.get(`/api/dashboards/${dashboardId}?floor_filter=90002`)
    expect(view.status).toBe(200)
    const [opsTile, financeTile] = view.json.tiles
    expect(opsTile).toMatchObject({ noAccess: false, visualization: { id: ops.visualizationId }, error: null })
    expect(financeTile).toEqual({
      id: expect.any(String), visualizationId: finance.visualizationId, x: 6, y: 0, w: 6, h: 3,
      bindings: {}, params: {}, visualization: null, noAccess: true, run: null, refreshQueued: false, result: null, error: null,
    })
    expectNoFinanceSecrets(view.text)
    expect(view.text).not.toContain('"floor"')
    // no run was started for the hidden tile with the viewer's filter value
    const { rows: [runsOfViewer] } = await useDb().execute<{ count: number }>(
      sql`SELECT count(*)::int AS count FROM runs WHERE query_id = ${finance.queryId} AND params->>'floor' = '90002'`)
    expect(runsOfViewer!.count).toBe(0)
    // the admin sees both tiles, and neither view is the other's cached bytes
    const adminView = await admin.get(`/api/dashboards/${dashboardId}?floor_filter=90002`)
    expect(adminView.json.tiles[1]).toMatchObject({ noAccess: false, visualization: { name: 'Payroll table' } })
    const again = await client.get(`/api/dashboards/${dashboardId}?floor_filter=90002`)
    expect(again.json.tiles[1].noAccess).toBe(true)
  })

  it('keeps a hidden tile where it was when a writer who cannot see it saves the dashboard, with its bindings', async () => {
    const { client } = await memberOfOpsTeam('editor')
    const seen = (await client.get(`/api/dashboards/${dashboardId}`)).json
    const saved = await client.patch(`/api/dashboards/${dashboardId}`, {
      tiles: seen.tiles.map(({ id, visualizationId, x, y, w, h, bindings }: Record<string, unknown>) => ({ id, visualizationId, x, y, w, h, bindings })),
    })
    expect(saved.status, saved.text).toBe(200)
    expect(saved.json.tiles[1]).toMatchObject({ visualizationId: finance.visualizationId, bindings: {} })
    const stored = (await admin.get(`/api/dashboards/${dashboardId}`)).json.tiles[1]
    expect(stored).toMatchObject({ visualizationId: finance.visualizationId, bindings: { floor: 'floor_filter' } })
  })

  it('is reached by admins, who pass every check without a grant', async () => {
    expect((await admin.get(`/api/datasources/${finance.datasourceId}`)).json).toMatchObject({ name: 'Finance', access: 'query' })
    expect((await admin.get(`/api/runs/${finance.runId}/result`)).json.rows).toHaveLength(3)
  })
})

describe('grant levels', () => {
  it('view: runs saved queries with parameters, reads results, exports and events; no ad-hoc SQL, schema, estimate or query writes (403)', async () => {
    const { client } = await memberOfOpsTeam('editor')
    expect((await client.get(`/api/datasources/${ops.datasourceId}`)).json).toMatchObject({ name: 'Ops', access: 'view' })
    expect((await client.get('/api/datasources')).json.map((item: { name: string }) => item.name)).toEqual(['Ops'])
    const runId = await finishedRun(client, ops.queryId, { n: 41 })
    expect((await client.get(`/api/runs/${runId}/result`)).json.rows).toEqual([[41]])
    expect((await client.get(`/api/runs/${runId}/result.csv`)).text).toContain('41')
    expect((await client.get(`/api/runs/${runId}/events`)).status).toBe(200)
    // another user's run of the same datasource (the admin's) reads the same
    expect((await client.get(`/api/runs/${ops.runId}/result`)).json.rows).toEqual([[7]])
    // exactly the queries on Ops, as the admin lists them (another test may have added one there)
    const onOps = (await admin.get('/api/queries')).json.queries.filter((query: { datasourceId: string }) => query.datasourceId === ops.datasourceId)
    expect(onOps.map((query: { id: string }) => query.id)).toContain(ops.queryId)
    expect((await client.get('/api/queries')).json.queries.map((query: { id: string }) => query.id)).toEqual(onOps.map((query: { id: string }) => query.id))
    for (const refused of [
      await client.post('/api/runs', { datasourceId: ops.datasourceId, sql: 'SELECT 1' }),
      await client.post('/api/runs/estimate', { datasourceId: ops.datasourceId, sql: 'SELECT 1' }),
      await client.post(`/api/queries/${ops.queryId}/estimate`, {}),
      await client.get(`/api/datasources/${ops.datasourceId}/schema`),
      await client.post(`/api/datasources/${ops.datasourceId}/test`),
      await client.post('/api/queries', { name: 'mine', datasourceId: ops.datasourceId, sql: 'SELECT 1' }),
      await client.patch(`/api/queries/${ops.queryId}`, { sql: 'SELECT 2' }),
      await client.post(`/api/queries/${ops.queryId}/clone`, {}),
    ]) {
      expect(refused.status, refused.text).toBe(403)
      expect(refused.json.message).toMatch(/may view this datasource's results but not query it/)
    }
  })

  it('query: also ad-hoc SQL, the schema and writing queries; the highest of a user\'s grants counts', async () => {
    const { client } = await memberOfOpsTeam('editor')
    const everyone = (await admin.get('/api/groups')).json.find((group: { systemKind: string }) => group.systemKind === 'everyone')
    expect((await admin.request('PUT', `/api/datasources/${ops.datasourceId}/grants/${everyone.id}`, { level: 'query' })).status).toBe(200)
    try {
      expect((await client.get(`/api/datasources/${ops.datasourceId}`)).json.access).toBe('query')
      const adhoc = await client.post('/api/runs', { datasourceId: ops.datasourceId, sql: 'SELECT 5 AS five' })
      expect(adhoc.status, adhoc.text).toBe(202)
      expect((await client.get(`/api/datasources/${ops.datasourceId}/schema`)).status).toBe(200)
      const created = await client.post('/api/queries', { name: 'mine', datasourceId: ops.datasourceId, sql: 'SELECT 1' })
      expect(created.status, created.text).toBe(201)
      // a query may not move onto a datasource the writer does not reach
      const moved = await client.patch(`/api/queries/${created.json.id}`, { datasourceId: finance.datasourceId })
      expect(moved.status).toBe(400)
      expect(moved.json.data.issues).toEqual([{ path: 'datasourceId', message: 'no such datasource' }])
    }
    finally {
      await admin.delete(`/api/datasources/${ops.datasourceId}/grants/${everyone.id}`)
    }
  })
})

describe('changes take effect on the next request', () => {
  it('removing a user from a group, or the group\'s grant, hides the datasource at once; API tokens act as their user', async () => {
    const { client, member } = await memberOfOpsTeam('viewer')
    const token = (await client.post('/api/tokens', { name: 'script', scope: 'read' })).json.token as string
    const script = new ApiClient(web.url)
    const bearer = { authorization: `Bearer ${token}` }
    const reads = async () => [
      (await client.get(`/api/queries/${ops.queryId}`)).status,
      (await script.get(`/api/runs/${ops.runId}/result`, bearer)).status,
    ]
    expect(await reads()).toEqual([200, 200])
    expect(await script.get(`/api/queries/${finance.queryId}`, bearer).then(answer => answer.status)).toBe(404)

    expect((await admin.delete(`/api/groups/${groupId}/members/${member.id}`)).status).toBe(204)
    expect(await reads()).toEqual([404, 404])
    expect((await admin.request('PUT', `/api/groups/${groupId}/members/${member.id}`)).status).toBe(200)
    expect(await reads()).toEqual([200, 200])

    expect((await admin.delete(`/api/datasources/${ops.datasourceId}/grants/${groupId}`)).status).toBe(204)
    try {
      expect(await reads()).toEqual([404, 404])
      const view = await client.get(`/api/dashboards/${dashboardId}`)
      expect(view.json.tiles.map((tile: { noAccess: boolean }) => tile.noAccess)).toEqual([true, true])
    }
    finally {
      expect((await admin.request('PUT', `/api/datasources/${ops.datasourceId}/grants/${groupId}`, { level: 'view' })).status).toBe(200)
    }
    expect(await reads()).toEqual([200, 200])
  })

  it('an open run events stream ends once its caller is removed from the group that grants the datasource', async () => {
    const { client, member } = await memberOfOpsTeam('viewer')
    const slowQueryId = await queryOn(ops.datasourceId, 'Ops slow', 'SELECT pg_sleep(30), 1 AS slow')
    const started = await admin.post(`/api/queries/${slowQueryId}/runs`, { maxAgeSeconds: 0 })
    expect(started.status, started.text).toBe(202)
    const runId = started.json.id as string
    try {
      // running before the stream opens: its only status change (queued to running) cannot
      // land between the first message and the removal, so one status message is all
      await expect.poll(async () => (await admin.get(`/api/runs/${runId}`)).json.status, { timeout: 10_000 }).toBe('running')
      const response = await fetch(`${web.url}/api/runs/events?ids=${runId}`, { headers: { cookie: client.sessionCookie }, signal: AbortSignal.timeout(15_000) })
      expect(response.status).toBe(200)
      const reader = response.body!.getReader()
      const decoder = new TextDecoder()
      let text = ''
      // the first status arrives; then the member loses the group, and the stream must end
      // by itself (the run still going) before the 15 s abort
      while (!text.includes('event: status')) text += decoder.decode((await reader.read()).value, { stream: true })
      expect((await admin.delete(`/api/groups/${groupId}/members/${member.id}`)).status).toBe(204)
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        text += decoder.decode(value, { stream: true })
      }
      expect(text.match(/event: status/g)).toHaveLength(1)
      expect((await admin.get(`/api/runs/${runId}`)).json.status).toBe('running')
    }
    finally {
      await admin.post(`/api/runs/${runId}/cancel`, {})
    }
  })

  it('a member removed from the org and added again starts without their named groups', async () => {
    const { member } = await memberOfOpsTeam('viewer')
    expect((await admin.delete(`/api/admin/users/${member.id}`)).status).toBe(204)
    const detail = await admin.get(`/api/groups/${groupId}`)
    expect(detail.json.members.map((entry: { id: string }) => entry.id)).not.toContain(member.id)
  })
})

describe('the groups API', () => {
  it('lists Admin and Everyone first with their implied members, then named groups with members and grants', async () => {
    const list = await admin.get('/api/groups')
    expect(list.status).toBe(200)
    expect(list.json.slice(0, 2).map((group: { name: string, systemKind: string, implicitMembers: boolean }) => [group.name, group.systemKind, group.implicitMembers]))
      .toEqual([['Admin', 'admin', true], ['Everyone', 'everyone', true]])
    const opsTeam = list.json.find((group: { id: string }) => group.id === groupId)
    expect(opsTeam).toMatchObject({ name: 'Ops team', systemKind: null, implicitMembers: false, grants: [{ datasourceId: ops.datasourceId, datasourceName: 'Ops', level: 'view' }] })
    const adminGroup = await admin.get(`/api/groups/${list.json[0].id}`)
    expect(adminGroup.json.members.every((member: { role: string }) => member.role === 'admin')).toBe(true)
    const grants = await admin.get(`/api/datasources/${ops.datasourceId}/grants`)
    expect(grants.json).toEqual([{ datasourceId: ops.datasourceId, groupId, groupName: 'Ops team', systemKind: null, level: 'view' }])
    expect((await admin.get(`/api/datasources/${ops.datasourceId}/grants/${groupId}`)).json).toEqual({ datasourceId: ops.datasourceId, groupId, level: 'view' })
    expect((await admin.get(`/api/datasources/${finance.datasourceId}/grants/${groupId}`)).status).toBe(404)
  })

  it('creates, renames and deletes named groups (names unique in any case); the built-in ones stay as they are', async () => {
    const created = await admin.post('/api/groups', { name: 'Support' })
    expect(created.status).toBe(201)
    expect((await admin.post('/api/groups', { name: 'support ' })).status).toBe(409)
    expect((await admin.post('/api/groups', { name: 'everyone' })).status).toBe(409)
    expect((await admin.post('/api/groups', { name: '' })).json.data.issues[0].path).toBe('name')
    expect((await admin.patch(`/api/groups/${created.json.id}`, { name: 'Customer support' })).json.name).toBe('Customer support')
    const [adminGroup, everyone] = (await admin.get('/api/groups')).json
    for (const builtIn of [adminGroup, everyone]) {
      expect((await admin.patch(`/api/groups/${builtIn.id}`, { name: 'Renamed' })).status).toBe(409)
      expect((await admin.delete(`/api/groups/${builtIn.id}`)).status).toBe(409)
    }
    const { member } = await signedIn('viewer')
    const implied = await admin.request('PUT', `/api/groups/${everyone.id}/members/${member.id}`)
    expect(implied.status).toBe(409)
    expect(implied.json.message).toMatch(/every member of the org/)
    expect((await admin.request('PUT', `/api/datasources/${ops.datasourceId}/grants/${adminGroup.id}`, { level: 'view' })).status).toBe(409)
    expect((await admin.request('PUT', `/api/datasources/${ops.datasourceId}/grants/${created.json.id}`, { level: 'admin' })).json.data.issues[0].path).toBe('level')
    expect((await admin.request('PUT', `/api/datasources/${ops.datasourceId}/grants/${created.json.id}`, { level: 'query' })).status).toBe(200)
    expect((await admin.delete(`/api/groups/${created.json.id}`)).status).toBe(204)
    expect(await useDb().select().from(datasourceGrants).where(eq(datasourceGrants.groupId, created.json.id))).toEqual([])
    expect((await admin.get(`/api/groups/${created.json.id}`)).status).toBe(404)
  })

  it('is for admins only, and another org\'s group or user is a 404', async () => {
    const { client } = await signedIn('editor')
    expect((await client.get('/api/groups')).status).toBe(403)
    expect((await client.post('/api/groups', { name: 'mine' })).status).toBe(403)
    expect((await client.request('PUT', `/api/datasources/${ops.datasourceId}/grants/${groupId}`, { level: 'query' })).status).toBe(403)
    const otherOrg = await buildOrg('Other')
    const [otherGroup] = await useDb().select().from(groups).where(eq(groups.orgId, otherOrg.id))
    const outsider = await buildMember(otherOrg.id, 'viewer')
    expect((await admin.get(`/api/groups/${otherGroup!.id}`)).status).toBe(404)
    expect((await admin.request('PUT', `/api/datasources/${ops.datasourceId}/grants/${otherGroup!.id}`, { level: 'view' })).status).toBe(404)
    const stranger = await admin.request('PUT', `/api/groups/${groupId}/members/${outsider.id}`)
    expect(stranger.status).toBe(404)
    expect(stranger.json.message).toBe('User not found')
  })

  it('writes an audit row for each group, membership and grant change, with the admin as actor', async () => {
    const me = (await admin.get('/api/auth/me')).json.user.id
    const created = await admin.post('/api/groups', { name: 'Audited' })
    await admin.request('PUT', `/api/datasources/${ops.datasourceId}/grants/${created.json.id}`, { level: 'view' })
    await admin.delete(`/api/datasources/${ops.datasourceId}/grants/${created.json.id}`)
    const rows = await useDb().select().from(auditLog).where(and(eq(auditLog.orgId, orgId), eq(auditLog.userId, me)))
    const actions = rows.map(row => `${row.action} ${row.targetId}`)
    expect(actions).toEqual(expect.arrayContaining([
      `group.create ${created.json.id}`,
      `grant.set ${ops.datasourceId}`,
      `grant.remove ${ops.datasourceId}`,
    ]))
    expect(rows.find(row => row.action === 'grant.set' && (row.details as { groupId?: string }).groupId === created.json.id)).toBeTruthy()
  })
})

describe('the groups migration', () => {
  it('gives existing orgs Admin and Everyone, grants their existing datasources query to Everyone, and new datasources nothing', async () => {
    const url = await createTestDatabase()
    // the migrations as they were before groups: the journal cut before this one
    const folder = await mkdtemp(join(tmpdir(), 'tessera-migrations-'))
    try {
      await cp('db/migrations', folder, { recursive: true })
      const journalPath = join(folder, 'meta/_journal.json')
      const journal = JSON.parse(await readFile(journalPath, 'utf8')) as { entries: { tag: string }[] }
      const groupsIndex = journal.entries.findIndex(entry => entry.tag.endsWith('_groups'))
      expect(groupsIndex).toBeGreaterThan(0)
      const fullJournal = await readFile(journalPath, 'utf8')
      await writeFile(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, groupsIndex) }))
      const fresh = new pg.Client({ connectionString: url })
      await fresh.connect()
      try {
        // the template is fully migrated: start this database from nothing
        await fresh.query('DROP SCHEMA public CASCADE; DROP SCHEMA IF EXISTS drizzle CASCADE; CREATE SCHEMA public')
        await migrateDatabase(url, folder)
        const { rows: [org] } = await fresh.query(`INSERT INTO orgs (name) VALUES ('Before groups') RETURNING id`)
        const { rows: [old] } = await fresh.query(`INSERT INTO datasources (org_id, name, type, config) VALUES ($1, 'Old', 'postgres', '{}') RETURNING id`, [org.id])
        await writeFile(journalPath, fullJournal)
        await migrateDatabase(url, folder)
        const { rows: systemGroups } = await fresh.query('SELECT name, system_kind FROM groups WHERE org_id = $1 ORDER BY name', [org.id])
        expect(systemGroups).toEqual([{ name: 'Admin', system_kind: 'admin' }, { name: 'Everyone', system_kind: 'everyone' }])
        const { rows: grants } = await fresh.query('SELECT g.name, dg.level FROM datasource_grants dg JOIN groups g ON g.id = dg.group_id WHERE dg.datasource_id = $1', [old.id])
        expect(grants).toEqual([{ name: 'Everyone', level: 'query' }])
        // after the migration: a new org gets its two groups, a new datasource no grant
        const { rows: [later] } = await fresh.query(`INSERT INTO orgs (name) VALUES ('After groups') RETURNING id`)
        expect((await fresh.query('SELECT system_kind FROM groups WHERE org_id = $1 ORDER BY system_kind', [later.id])).rows).toEqual([{ system_kind: 'admin' }, { system_kind: 'everyone' }])
        const { rows: [added] } = await fresh.query(`INSERT INTO datasources (org_id, name, type, config) VALUES ($1, 'New', 'postgres', '{}') RETURNING id`, [org.id])
        expect((await fresh.query('SELECT 1 FROM datasource_grants WHERE datasource_id = $1', [added.id])).rowCount).toBe(0)
      }
      finally {
        await fresh.end()
      }
    }
    finally {
      await rm(folder, { recursive: true, force: true })
    }
  })
})
