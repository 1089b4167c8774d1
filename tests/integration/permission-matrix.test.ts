// Every route under server/api, called by every kind of caller, against the status the
// table below says. The route list comes from the files (tests/support/api-routes.ts), so a
// route added without a row fails here. Whatever a caller without access gets back — an
// error, or another org's member's answer — must not contain the fixtures' marker, which
// is in their names, SQL, column names, result rows and error text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type RunningApp } from '../support/app'
import { listApiRoutes, type ApiRouteFile } from '../support/api-routes'
import { buildMember, buildOrg, TEST_PASSWORD } from '../support/builders'
import { queryDatabase, useTestDatabase } from '../support/database'
import { settingsForUrl } from '../support/engine-builders'

const MARKER = 'zq7marker'

// Who calls. The tokens belong to the admin, so their columns show what a token's scope
// (and being a token at all) takes away from the strongest role. The member of another
// org is an admin there, so what they are refused is refused for the org, not the role.
// The last caller is an editor of the org in no group granted the fixtures' datasource:
// their role lets them do everything the editor column shows, so what they are refused
// is refused by the grant check alone (a hidden datasource and what leads to it is a 404).
const CALLERS = ['anon', 'viewer', 'editor', 'admin', 'tokenRead', 'tokenWrite', 'otherOrg', 'noGrant'] as const
type Caller = (typeof CALLERS)[number]
const COLUMN_TITLES: Record<Caller, string> = {
  anon: 'no session',
  viewer: 'viewer',
  editor: 'editor',
  admin: 'admin',
  tokenRead: 'token read',
  tokenWrite: 'token write',
  otherOrg: 'other org',
  noGrant: 'no grant',
}

// The expected status of every route for every caller. Another org's id in a path is a
// 404, the same as an unknown id; in a body (POST /api/queries' datasourceId, POST
// /api/schedules' queryId) it is a 400 naming the field, again the same as an unknown id.
// A datasource without a grant, and whatever is on it, answers the same way.
const MATRIX = `
route                                               | no session | viewer | editor | admin | token read | token write | other org | no grant
GET    /api/healthz                                 | 200        | 200    | 200    | 200   | 200        | 200         | 200       | 200
GET    /api/openapi.json                            | 200        | 200    | 200    | 200   | 200        | 200         | 200       | 200
POST   /api/auth/login                              | 200        | 200    | 200    | 200   | 403        | 200         | 200       | 200
POST   /api/auth/logout                             | 401        | 200    | 200    | 200   | 403        | 200         | 200       | 200
GET    /api/auth/me                                 | 401        | 200    | 200    | 200   | 200        | 200         | 200       | 200
GET    /api/auth/session                            | 200        | 200    | 200    | 200   | 200        | 200         | 200       | 200
POST   /api/auth/password                           | 401        | 400    | 400    | 400   | 403        | 403         | 400       | 400
GET    /api/tokens                                  | 401        | 200    | 200    | 200   | 200        | 200         | 200       | 200
POST   /api/tokens                                  | 401        | 201    | 201    | 201   | 403        | 403         | 201       | 201
DELETE /api/tokens/{id}                             | 401        | 404    | 404    | 204   | 403        | 204         | 404       | 404
GET    /api/admin/users                             | 401        | 403    | 403    | 200   | 200        | 200         | 200       | 403
POST   /api/admin/users                             | 401        | 403    | 403    | 201   | 403        | 201         | 201       | 403
PATCH  /api/admin/users/{id}                        | 401        | 403    | 403    | 200   | 403        | 200         | 404       | 403
DELETE /api/admin/users/{id}                        | 401        | 403    | 403    | 204   | 403        | 204         | 404       | 403
POST   /api/admin/users/{id}/password               | 401        | 403    | 403    | 200   | 403        | 200         | 404       | 403
GET    /api/admin/status                            | 401        | 403    | 403    | 200   | 200        | 200         | 200       | 403
GET    /api/status/workers                          | 401        | 200    | 200    | 200   | 200        | 200         | 200       | 200
GET    /api/audit                                   | 401        | 403    | 403    | 200   | 200        | 200         | 200       | 403
GET    /api/audit.csv                               | 401        | 403    | 403    | 200   | 200        | 200         | 200       | 403
GET    /api/groups                                  | 401        | 403    | 403    | 200   | 200        | 200         | 200       | 403
POST   /api/groups                                  | 401        | 403    | 403    | 201   | 403        | 201         | 201       | 403
GET    /api/groups/{id}                             | 401        | 403    | 403    | 200   | 200        | 200         | 404       | 403
PATCH  /api/groups/{id}                             | 401        | 403    | 403    | 200   | 403        | 200         | 404       | 403
DELETE /api/groups/{id}                             | 401        | 403    | 403    | 204   | 403        | 204         | 404       | 403
PUT    /api/groups/{id}/members/{userId}            | 401        | 403    | 403    | 200   | 403        | 200         | 404       | 403
DELETE /api/groups/{id}/members/{userId}            | 401        | 403    | 403    | 204   | 403        | 204         | 404       | 403
GET    /api/datasources                             | 401        | 200    | 200    | 200   | 200        | 200         | 200       | 200
POST   /api/datasources                             | 401        | 403    | 403    | 201   | 403        | 201         | 201       | 403
POST   /api/datasources/test                        | 401        | 403    | 403    | 200   | 403        | 200         | 200       | 403
GET    /api/datasources/{id}                        | 401        | 200    | 200    | 200   | 200        | 200         | 404       | 404
PATCH  /api/datasources/{id}                        | 401        | 403    | 403    | 200   | 403        | 200         | 404       | 403
DELETE /api/datasources/{id}                        | 401        | 403    | 403    | 204   | 403        | 204         | 404       | 403
POST   /api/datasources/{id}/test                   | 401        | 403    | 200    | 200   | 403        | 200         | 404       | 404
GET    /api/datasources/{id}/grants                 | 401        | 403    | 403    | 200   | 200        | 200         | 404       | 403
GET    /api/datasources/{id}/grants/{groupId}       | 401        | 403    | 403    | 200   | 200        | 200         | 404       | 403
PUT    /api/datasources/{id}/grants/{groupId}       | 401        | 403    | 403    | 200   | 403        | 200         | 404       | 403
DELETE /api/datasources/{id}/grants/{groupId}       | 401        | 403    | 403    | 204   | 403        | 204         | 404       | 403
GET    /api/datasources/{id}/schema                 | 401        | 403    | 200    | 200   | 200        | 200         | 404       | 404
GET    /api/queries                                 | 401        | 200    | 200    | 200   | 200        | 200         | 200       | 200
POST   /api/queries                                 | 401        | 403    | 201    | 201   | 403        | 201         | 400       | 400
GET    /api/queries/{id}                            | 401        | 200    | 200    | 200   | 200        | 200         | 404       | 404
PATCH  /api/queries/{id}                            | 401        | 403    | 200    | 200   | 403        | 200         | 404       | 404
DELETE /api/queries/{id}                            | 401        | 403    | 200    | 200   | 403        | 200         | 404       | 404
POST   /api/queries/{id}/clone                      | 401        | 403    | 201    | 201   | 403        | 201         | 404       | 404
POST   /api/queries/{id}/estimate                   | 401        | 200    | 200    | 200   | 403        | 200         | 404       | 404
GET    /api/queries/{id}/choices                    | 401        | 200    | 200    | 200   | 200        | 200         | 404       | 404
GET    /api/queries/{id}/parameters/{name}/options  | 401        | 200    | 200    | 200   | 200        | 200         | 404       | 404
GET    /api/queries/{id}/runs                       | 401        | 200    | 200    | 200   | 200        | 200         | 404       | 404
POST   /api/queries/{id}/runs                       | 401        | 202    | 202    | 202   | 403        | 202         | 404       | 404
GET    /api/queries/{id}/versions                   | 401        | 200    | 200    | 200   | 200        | 200         | 404       | 404
POST   /api/queries/{id}/versions/{version}/restore | 401        | 403    | 200    | 200   | 403        | 200         | 404       | 404
GET    /api/queries/{id}/visualizations             | 401        | 200    | 200    | 200   | 200        | 200         | 404       | 404
POST   /api/queries/{id}/visualizations             | 401        | 403    | 201    | 201   | 403        | 201         | 404       | 404
POST   /api/runs                                    | 401        | 403    | 202    | 202   | 403        | 202         | 404       | 404
POST   /api/runs/estimate                           | 401        | 403    | 200    | 200   | 403        | 200         | 404       | 404
GET    /api/runs/events                             | 401        | 200    | 200    | 200   | 200        | 200         | 404       | 404
GET    /api/runs/{id}                               | 401        | 200    | 200    | 200   | 200        | 200         | 404       | 404
POST   /api/runs/{id}/cancel                        | 401        | 403    | 200    | 200   | 403        | 200         | 404       | 404
GET    /api/runs/{id}/events                        | 401        | 200    | 200    | 200   | 200        | 200         | 404       | 404
GET    /api/runs/{id}/result                        | 401        | 200    | 200    | 200   | 200        | 200         | 404       | 404
GET    /api/runs/{id}/result.csv                    | 401        | 200    | 200    | 200   | 200        | 200         | 404       | 404
GET    /api/runs/{id}/result.json                   | 401        | 200    | 200    | 200   | 200        | 200         | 404       | 404
GET    /api/runs/{id}/result.xlsx                   | 401        | 200    | 200    | 200   | 200        | 200         | 404       | 404
GET    /api/visualizations                          | 401        | 200    | 200    | 200   | 200        | 200         | 200       | 200
GET    /api/visualizations/{id}                     | 401        | 200    | 200    | 200   | 200        | 200         | 404       | 404
PATCH  /api/visualizations/{id}                     | 401        | 403    | 200    | 200   | 403        | 200         | 404       | 404
DELETE /api/visualizations/{id}                     | 401        | 403    | 204    | 204   | 403        | 204         | 404       | 404
GET    /api/dashboards                              | 401        | 200    | 200    | 200   | 200        | 200         | 200       | 200
POST   /api/dashboards                              | 401        | 403    | 201    | 201   | 403        | 201         | 201       | 201
GET    /api/dashboards/{id}                         | 401        | 200    | 200    | 200   | 200        | 200         | 404       | 200
PATCH  /api/dashboards/{id}                         | 401        | 403    | 200    | 200   | 403        | 200         | 404       | 200
DELETE /api/dashboards/{id}                         | 401        | 403    | 204    | 204   | 403        | 204         | 404       | 204
POST   /api/dashboards/{id}/refresh                 | 401        | 202    | 202    | 202   | 403        | 202         | 404       | 202
GET    /api/schedules                               | 401        | 200    | 200    | 200   | 200        | 200         | 200       | 200
POST   /api/schedules                               | 401        | 403    | 201    | 201   | 403        | 201         | 400       | 400
POST   /api/schedules/preview                       | 401        | 200    | 200    | 200   | 403        | 200         | 200       | 200
GET    /api/schedules/{id}                          | 401        | 200    | 200    | 200   | 200        | 200         | 404       | 404
PATCH  /api/schedules/{id}                          | 401        | 403    | 200    | 200   | 403        | 200         | 404       | 404
DELETE /api/schedules/{id}                          | 401        | 403    | 204    | 204   | 403        | 204         | 404       | 404
GET    /api/schedules/{id}/firings                  | 401        | 200    | 200    | 200   | 200        | 200         | 404       | 404
GET    /api/favorites                               | 401        | 200    | 200    | 200   | 200        | 200         | 200       | 200
PUT    /api/favorites/{kind}/{id}                   | 401        | 200    | 200    | 200   | 403        | 200         | 404       | 404
DELETE /api/favorites/{kind}/{id}                   | 401        | 204    | 204    | 204   | 403        | 204         | 404       | 404
ANY    /api                                         | 404        | 404    | 404    | 404   | 404        | 404         | 404       | 404
ANY    /api/{...path}                               | 401        | 404    | 404    | 404   | 404        | 404         | 404       | 404
`

// Routes whose admin answer must show the marker: proof the fixtures carry it where a
// leak would show (names, SQL, catalog column names, result rows, error text).
const MARKED_FOR_ADMIN = [
  'GET /api/datasources/{id}', 'GET /api/datasources/{id}/schema', 'GET /api/queries/{id}', 'GET /api/runs/{id}',
  'GET /api/runs/{id}/result', 'GET /api/runs/{id}/result.csv', 'GET /api/visualizations/{id}', 'GET /api/dashboards/{id}',
  'GET /api/groups/{id}',
]

// Lists answer 200 to the no-grant caller, without the hidden datasource or anything on it.
// (A dashboard is not on one datasource: its name and text tiles stay visible, its tiles
// on the hidden datasource come without visualization, SQL or rows; groups.test.ts.)
const LISTS_WITHOUT_HIDDEN = ['GET /api/datasources', 'GET /api/queries', 'GET /api/visualizations', 'GET /api/schedules', 'GET /api/favorites']

interface Fixtures {
  datasourceId: string
  queryId: string
  succeededRunId: string
  failedRunId: string
  visualizationId: string
  dashboardId: string
  scheduleId: string
  groupId: string
  login: { email: string, password: string }
  connection: Record<string, unknown>
}

interface Call { path: string, body?: unknown }
interface RouteCase {
  // builds the request; async when it needs an object of its own (one the call deletes or changes)
  request: (fixtures: Fixtures) => Call | Promise<Call>
  // the call ends the caller's session (sign-out): it gets a session of its own
  endsSession?: boolean
}

let web: RunningApp
let worker: RunningApp
let fixtures: Fixtures
let credentials: Record<Caller, Record<string, string>>
let memberOf: Partial<Record<Caller, { id: string, email: string }>>

async function signIn(email: string): Promise<string> {
  const response = await fetch(`${web.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' },
    body: JSON.stringify({ email, password: TEST_PASSWORD }),
  })
  expect(response.status).toBe(200)
  return response.headers.getSetCookie().find(line => line.startsWith('tessera_session='))!.split(';')[0]!
}

async function send(method: string, call: Call, headers: Record<string, string>) {
  const response = await fetch(web.url + call.path, {
    method,
    headers: { 'sec-fetch-site': 'same-origin', ...(call.body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: call.body === undefined ? undefined : JSON.stringify(call.body),
    redirect: 'manual',
    signal: AbortSignal.timeout(30_000),
  })
  return { status: response.status, text: await response.text() }
}

/** As the admin, for fixtures: the answer's JSON, after checking its status. */
async function asAdmin(method: string, path: string, body?: unknown, status = method === 'POST' ? 201 : 200) {
  const response = await send(method, { path, body }, credentials.admin)
  expect(response.status, `${method} ${path}: ${response.text}`).toBe(status)
  return response.text ? JSON.parse(response.text) : undefined
}

async function waitForRun(runId: string) {
  const deadline = Date.now() + 30_000
  for (;;) {
    const run = await asAdmin('GET', `/api/runs/${runId}`)
    if (['succeeded', 'failed', 'canceled', 'timed_out'].includes(run.status)) return run
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${run.status}`)
    await new Promise(done => setTimeout(done, 50))
  }
}

const freshQuery = async (f: Fixtures) => (await asAdmin('POST', '/api/queries', { name: `${MARKER} doomed query`, datasourceId: f.datasourceId, sql: `SELECT 1 AS ${MARKER}_one` })).id as string

// How to call each route; the statuses are in MATRIX.
const ROUTES: Record<string, RouteCase> = {
  'GET /api/healthz': { request: () => ({ path: '/api/healthz' }) },
  'GET /api/openapi.json': { request: () => ({ path: '/api/openapi.json' }) },
  'POST /api/auth/login': { request: f => ({ path: '/api/auth/login', body: f.login }) },
  'POST /api/auth/logout': { request: () => ({ path: '/api/auth/logout', body: {} }), endsSession: true },
  'GET /api/auth/me': { request: () => ({ path: '/api/auth/me' }) },
  'GET /api/auth/session': { request: () => ({ path: '/api/auth/session' }) },
  // a wrong current password: the callers keep theirs (a 400 is past every access check)
  'POST /api/auth/password': { request: () => ({ path: '/api/auth/password', body: { currentPassword: 'not the password', newPassword: 'a-new-password' } }) },
  'GET /api/tokens': { request: () => ({ path: '/api/tokens' }) },
  'POST /api/tokens': { request: () => ({ path: '/api/tokens', body: { name: 'matrix' } }) },
  'DELETE /api/tokens/{id}': { request: async () => ({ path: `/api/tokens/${(await asAdmin('POST', '/api/tokens', { name: 'doomed' })).id}` }) },
  'GET /api/admin/users': { request: () => ({ path: '/api/admin/users' }) },
  'POST /api/admin/users': { request: () => ({ path: '/api/admin/users', body: { email: `new-${crypto.randomUUID()}@example.test`, name: 'New', password: TEST_PASSWORD, role: 'viewer' } }) },
  'PATCH /api/admin/users/{id}': { request: async () => ({ path: `/api/admin/users/${(await freshMember()).id}`, body: { role: 'editor' } }) },
  'DELETE /api/admin/users/{id}': { request: async () => ({ path: `/api/admin/users/${(await freshMember()).id}` }) },
  'POST /api/admin/users/{id}/password': { request: async () => ({ path: `/api/admin/users/${(await freshMember()).id}/password`, body: {} }) },
  'GET /api/admin/status': { request: () => ({ path: '/api/admin/status' }) },
  'GET /api/status/workers': { request: () => ({ path: '/api/status/workers' }) },
  'GET /api/audit': { request: () => ({ path: '/api/audit' }) },
  'GET /api/audit.csv': { request: () => ({ path: '/api/audit.csv' }) },
  'GET /api/groups': { request: () => ({ path: '/api/groups' }) },
  'POST /api/groups': { request: () => ({ path: '/api/groups', body: { name: `matrix ${crypto.randomUUID()}` } }) },
  'GET /api/groups/{id}': { request: f => ({ path: `/api/groups/${f.groupId}` }) },
  'PATCH /api/groups/{id}': { request: f => ({ path: `/api/groups/${f.groupId}`, body: { name: `${MARKER} members` } }) },
  'DELETE /api/groups/{id}': { request: async () => ({ path: `/api/groups/${(await freshGroup()).id}` }) },
  'PUT /api/groups/{id}/members/{userId}': { request: f => ({ path: `/api/groups/${f.groupId}/members/${memberOf.viewer!.id}` }) },
  'DELETE /api/groups/{id}/members/{userId}': {
    request: async () => {
      const [group, member] = await Promise.all([freshGroup(), freshMember()])
      await asAdmin('PUT', `/api/groups/${group.id}/members/${member.id}`)
      return { path: `/api/groups/${group.id}/members/${member.id}` }
    },
  },
  'GET /api/datasources': { request: () => ({ path: '/api/datasources' }) },
  'POST /api/datasources': { request: f => ({ path: '/api/datasources', body: { name: 'made by the matrix', type: 'postgres', config: f.connection } }) },
  'POST /api/datasources/test': { request: f => ({ path: '/api/datasources/test', body: { type: 'postgres', config: f.connection } }) },
  'GET /api/datasources/{id}': { request: f => ({ path: `/api/datasources/${f.datasourceId}` }) },
  'PATCH /api/datasources/{id}': { request: f => ({ path: `/api/datasources/${f.datasourceId}`, body: { name: `${MARKER} source` } }) },
  'DELETE /api/datasources/{id}': { request: async f => ({ path: `/api/datasources/${(await asAdmin('POST', '/api/datasources', { name: `${MARKER} doomed source`, type: 'postgres', config: f.connection })).id}` }) },
  'POST /api/datasources/{id}/test': { request: f => ({ path: `/api/datasources/${f.datasourceId}/test`, body: {} }) },
  'GET /api/datasources/{id}/grants': { request: f => ({ path: `/api/datasources/${f.datasourceId}/grants` }) },
  'GET /api/datasources/{id}/grants/{groupId}': { request: f => ({ path: `/api/datasources/${f.datasourceId}/grants/${f.groupId}` }) },
  'PUT /api/datasources/{id}/grants/{groupId}': { request: f => ({ path: `/api/datasources/${f.datasourceId}/grants/${f.groupId}`, body: { level: 'query' } }) },
  'DELETE /api/datasources/{id}/grants/{groupId}': {
    request: async (f) => {
      const group = await freshGroup()
      await asAdmin('PUT', `/api/datasources/${f.datasourceId}/grants/${group.id}`, { level: 'view' })
      return { path: `/api/datasources/${f.datasourceId}/grants/${group.id}` }
    },
  },
  'GET /api/datasources/{id}/schema': { request: f => ({ path: `/api/datasources/${f.datasourceId}/schema` }) },
  'GET /api/queries': { request: () => ({ path: '/api/queries' }) },
  'POST /api/queries': { request: f => ({ path: '/api/queries', body: { name: 'made by the matrix', datasourceId: f.datasourceId, sql: 'SELECT 1' } }) },
  'GET /api/queries/{id}': { request: f => ({ path: `/api/queries/${f.queryId}` }) },
  'PATCH /api/queries/{id}': { request: async f => ({ path: `/api/queries/${await freshQuery(f)}`, body: { name: `${MARKER} renamed` } }) },
  'DELETE /api/queries/{id}': { request: async f => ({ path: `/api/queries/${await freshQuery(f)}` }) },
  'POST /api/queries/{id}/clone': { request: f => ({ path: `/api/queries/${f.queryId}/clone`, body: {} }) },
  'POST /api/queries/{id}/estimate': { request: f => ({ path: `/api/queries/${f.queryId}/estimate`, body: { params: { kind: 'a' } } }) },
  'GET /api/queries/{id}/choices': { request: f => ({ path: `/api/queries/${f.queryId}/choices` }) },
  'GET /api/queries/{id}/parameters/{name}/options': { request: f => ({ path: `/api/queries/${f.queryId}/parameters/kind/options` }) },
  'GET /api/queries/{id}/runs': { request: f => ({ path: `/api/queries/${f.queryId}/runs` }) },
  'POST /api/queries/{id}/runs': { request: f => ({ path: `/api/queries/${f.queryId}/runs`, body: { params: { kind: 'a' } } }) },
  'GET /api/queries/{id}/versions': { request: f => ({ path: `/api/queries/${f.queryId}/versions` }) },
  'POST /api/queries/{id}/versions/{version}/restore': { request: async f => ({ path: `/api/queries/${await freshQuery(f)}/versions/1/restore`, body: {} }) },
  'GET /api/queries/{id}/visualizations': { request: f => ({ path: `/api/queries/${f.queryId}/visualizations` }) },
  'POST /api/queries/{id}/visualizations': { request: f => ({ path: `/api/queries/${f.queryId}/visualizations`, body: { name: 'made by the matrix', type: 'table', config: {} } }) },
  'POST /api/runs': { request: f => ({ path: '/api/runs', body: { datasourceId: f.datasourceId, sql: 'SELECT 2' } }) },
  'POST /api/runs/estimate': { request: f => ({ path: '/api/runs/estimate', body: { datasourceId: f.datasourceId, sql: 'SELECT 2' } }) },
  'GET /api/runs/events': { request: f => ({ path: `/api/runs/events?ids=${f.succeededRunId},${f.failedRunId}` }) },
  'GET /api/runs/{id}': { request: f => ({ path: `/api/runs/${f.failedRunId}` }) },
  'POST /api/runs/{id}/cancel': { request: f => ({ path: `/api/runs/${f.succeededRunId}/cancel`, body: {} }) },
  'GET /api/runs/{id}/events': { request: f => ({ path: `/api/runs/${f.succeededRunId}/events` }) },
  'GET /api/runs/{id}/result': { request: f => ({ path: `/api/runs/${f.succeededRunId}/result` }) },
  'GET /api/runs/{id}/result.csv': { request: f => ({ path: `/api/runs/${f.succeededRunId}/result.csv` }) },
  'GET /api/runs/{id}/result.json': { request: f => ({ path: `/api/runs/${f.succeededRunId}/result.json` }) },
  'GET /api/runs/{id}/result.xlsx': { request: f => ({ path: `/api/runs/${f.succeededRunId}/result.xlsx` }) },
  'GET /api/visualizations': { request: () => ({ path: '/api/visualizations' }) },
  'GET /api/visualizations/{id}': { request: f => ({ path: `/api/visualizations/${f.visualizationId}` }) },
  'PATCH /api/visualizations/{id}': { request: f => ({ path: `/api/visualizations/${f.visualizationId}`, body: { name: `${MARKER} chart` } }) },
  'DELETE /api/visualizations/{id}': { request: async f => ({ path: `/api/visualizations/${(await asAdmin('POST', `/api/queries/${f.queryId}/visualizations`, { name: `${MARKER} doomed`, type: 'table', config: {} })).id}` }) },
  'GET /api/dashboards': { request: () => ({ path: '/api/dashboards' }) },
  'POST /api/dashboards': { request: () => ({ path: '/api/dashboards', body: { name: 'made by the matrix' } }) },
  'GET /api/dashboards/{id}': { request: f => ({ path: `/api/dashboards/${f.dashboardId}` }) },
  'PATCH /api/dashboards/{id}': { request: f => ({ path: `/api/dashboards/${f.dashboardId}`, body: { name: `${MARKER} board` } }) },
  'DELETE /api/dashboards/{id}': { request: async () => ({ path: `/api/dashboards/${(await asAdmin('POST', '/api/dashboards', { name: `${MARKER} doomed board` })).id}` }) },
  'POST /api/dashboards/{id}/refresh': { request: f => ({ path: `/api/dashboards/${f.dashboardId}/refresh`, body: {} }) },
  'GET /api/schedules': { request: () => ({ path: '/api/schedules' }) },
  'POST /api/schedules': { request: f => ({ path: '/api/schedules', body: { queryId: f.queryId, cron: '0 0 1 1 *', timezone: 'UTC', params: { kind: 'a' }, enabled: false } }) },
  'POST /api/schedules/preview': { request: () => ({ path: '/api/schedules/preview', body: { cron: '0 6 * * *', timezone: 'UTC' } }) },
  'GET /api/schedules/{id}': { request: f => ({ path: `/api/schedules/${f.scheduleId}` }) },
  'PATCH /api/schedules/{id}': { request: f => ({ path: `/api/schedules/${f.scheduleId}`, body: { enabled: false } }) },
  'DELETE /api/schedules/{id}': { request: async f => ({ path: `/api/schedules/${(await asAdmin('POST', '/api/schedules', { queryId: f.queryId, cron: '0 0 1 1 *', timezone: 'UTC', params: { kind: 'a' }, enabled: false })).id}` }) },
  'GET /api/schedules/{id}/firings': { request: f => ({ path: `/api/schedules/${f.scheduleId}/firings` }) },
  'GET /api/favorites': { request: () => ({ path: '/api/favorites' }) },
  'PUT /api/favorites/{kind}/{id}': { request: f => ({ path: `/api/favorites/queries/${f.queryId}` }) },
  'DELETE /api/favorites/{kind}/{id}': { request: f => ({ path: `/api/favorites/queries/${f.queryId}` }) },
  // the unknown-path answers, asked with GET
  'ANY /api': { request: () => ({ path: '/api' }) },
  'ANY /api/{...path}': { request: f => ({ path: `/api/queries/${f.queryId}/no-such-thing` }) },
}

let orgId: string
async function freshMember() {
  return buildMember(orgId, 'viewer')
}
async function freshGroup(): Promise<{ id: string }> {
  return asAdmin('POST', '/api/groups', { name: `${MARKER} doomed ${crypto.randomUUID()}` })
}

function parseMatrix(): Map<string, Record<Caller, number>> {
  const [header, ...rows] = MATRIX.trim().split('\n').map(line => line.split('|').map(cell => cell.trim()))
  expect(header, 'the matrix header names the callers, in order').toEqual(['route', ...CALLERS.map(caller => COLUMN_TITLES[caller])])
  const expected = new Map<string, Record<Caller, number>>()
  for (const [route, ...statuses] of rows) {
    const key = route!.replace(/\s+/, ' ')
    expect(statuses, `${key}: one status per caller`).toHaveLength(CALLERS.length)
    expect(expected.has(key), `${key} appears twice`).toBe(false)
    expected.set(key, Object.fromEntries(CALLERS.map((caller, index) => [caller, Number(statuses[index])])) as Record<Caller, number>)
  }
  return expected
}

async function headersFor(caller: Caller, routeCase: RouteCase): Promise<Record<string, string>> {
  if (routeCase.endsSession && memberOf[caller]) return { cookie: await signIn(memberOf[caller].email) }
  return credentials[caller]
}

let routes: ApiRouteFile[]

beforeAll(async () => {
  const databaseUrl = await useTestDatabase()
  ;[web, worker] = await Promise.all([
    // the matrix signs in and runs more, and faster, than the limits let one person
    startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'web', TESSERA_LOGIN_MAX_FAILURES: '1000', TESSERA_QUOTA_USER_ACTIVE_RUNS: '1000', TESSERA_QUOTA_USER_RUNS_PER_MINUTE: '10000' }),
    startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'worker' }),
  ])
  routes = await listApiRoutes()
  orgId = (await buildOrg(`${MARKER} org`)).id
  const otherOrgId = (await buildOrg('Elsewhere')).id
  const [viewer, editor, admin, otherAdmin, loginUser] = await Promise.all([
    buildMember(orgId, 'viewer'), buildMember(orgId, 'editor'), buildMember(orgId, 'admin'), buildMember(otherOrgId, 'admin'), buildMember(orgId, 'viewer'),
  ])
  const outsider = await buildMember(orgId, 'editor')
  memberOf = { viewer, editor, admin, otherOrg: otherAdmin, noGrant: outsider }
  // one after the other: sign-ins in flight at once from one address count against its limit
  credentials = { anon: {}, viewer: {}, editor: {}, admin: {}, otherOrg: {}, tokenRead: {}, tokenWrite: {}, noGrant: {} }
  for (const caller of ['viewer', 'editor', 'admin', 'otherOrg', 'noGrant'] as const) credentials[caller] = { cookie: await signIn(memberOf[caller]!.email) }
  for (const scope of ['read', 'write'] as const) {
    const token = await asAdmin('POST', '/api/tokens', { name: `matrix ${scope}`, scope })
    credentials[scope === 'read' ? 'tokenRead' : 'tokenWrite'] = { authorization: `Bearer ${token.token}` }
  }

  // the marker everywhere a leak could show: names, SQL, catalog, rows, error text
  await queryDatabase(databaseUrl, `CREATE TABLE ${MARKER}_table (${MARKER}_secret text); INSERT INTO ${MARKER}_table VALUES ('${MARKER} row')`)
  const settings = settingsForUrl(databaseUrl)
  const connection = { ...settings.config, password: settings.password }
  const datasource = await asAdmin('POST', '/api/datasources', { name: `${MARKER} source`, type: 'postgres', config: connection })
  // the viewer and the editor reach the datasource through a group granted `query` on it;
  // the no-grant caller is a member outside that group
  const group = await asAdmin('POST', '/api/groups', { name: `${MARKER} members` })
  for (const member of [viewer, editor]) await asAdmin('PUT', `/api/groups/${group.id}/members/${member.id}`)
  await asAdmin('PUT', `/api/datasources/${datasource.id}/grants/${group.id}`, { level: 'query' })
  const query = await asAdmin('POST', '/api/queries', {
    name: `${MARKER} query`,
    datasourceId: datasource.id,
    sql: `SELECT ${MARKER}_secret, {{kind}}::text AS kind FROM ${MARKER}_table`,
    parameters: [{ name: 'kind', type: 'enum', options: ['a', 'b'], default: 'a' }],
  })
  const succeeded = await asAdmin('POST', `/api/queries/${query.id}/runs`, { params: { kind: 'a' } }, 202)
  const failingQuery = await asAdmin('POST', '/api/queries', { name: `${MARKER} failing`, datasourceId: datasource.id, sql: `SELECT * FROM ${MARKER}_missing` })
  const failed = await asAdmin('POST', `/api/queries/${failingQuery.id}/runs`, {}, 202)
  expect((await waitForRun(succeeded.id)).status).toBe('succeeded')
  expect((await waitForRun(failed.id)).status).toBe('failed')
  const visualization = await asAdmin('POST', `/api/queries/${query.id}/visualizations`, { name: `${MARKER} chart`, type: 'table', config: {} })
  const dashboard = await asAdmin('POST', '/api/dashboards', {
    name: `${MARKER} board`,
    tiles: [{ visualizationId: visualization.id, x: 0, y: 0, w: 6, h: 4 }, { text: `${MARKER} note`, x: 6, y: 0, w: 6, h: 4 }],
  })
  const schedule = await asAdmin('POST', '/api/schedules', { queryId: query.id, cron: '0 0 1 1 *', timezone: 'UTC', params: { kind: 'a' }, enabled: false })
  fixtures = {
    datasourceId: datasource.id, queryId: query.id, succeededRunId: succeeded.id, failedRunId: failed.id,
    visualizationId: visualization.id, dashboardId: dashboard.id, scheduleId: schedule.id, groupId: group.id,
    login: { email: loginUser.email, password: TEST_PASSWORD }, connection,
  }
})

afterAll(async () => {
  await Promise.all([web?.stop(), worker?.stop()])
})

describe('the permission matrix', () => {
  it('has a row in the table and a request for every route file, and nothing else', () => {
    const expected = parseMatrix()
    const keys = routes.map(route => route.key)
    expect(keys.filter(key => !expected.has(key)), 'route files without a row in MATRIX').toEqual([])
    expect(keys.filter(key => !ROUTES[key]), 'route files without a request in ROUTES').toEqual([])
    expect([...expected.keys()].filter(key => !keys.includes(key)), 'rows in MATRIX without a route file').toEqual([])
    expect(Object.keys(ROUTES).filter(key => !keys.includes(key)), 'requests in ROUTES without a route file').toEqual([])
  })

  it('answers every route, for every caller, with the status in the table, and no caller without access sees the fixtures', async () => {
    const expected = parseMatrix()
    const mismatches: string[] = []
    const leaks: string[] = []
    const markedForAdmin = new Set<string>()
    for (const route of routes) {
      const routeCase = ROUTES[route.key]
      const statuses = expected.get(route.key)
      if (!routeCase || !statuses) continue
      // one call at a time: concurrent sign-ins from one address are limited, and a
      // sequence is easier to read back when a cell is wrong
      for (const caller of CALLERS) {
        const call = await routeCase.request(fixtures)
        const response = await send(route.method === 'ANY' ? 'GET' : route.method, call, await headersFor(caller, routeCase))
        if (response.status !== statuses[caller]) mismatches.push(`${route.key} as ${caller}: ${response.status}, expected ${statuses[caller]} (${response.text.slice(0, 160)})`)
        const withoutAccess = response.status >= 400 || caller === 'anon' || caller === 'otherOrg' || (caller === 'noGrant' && LISTS_WITHOUT_HIDDEN.includes(route.key))
        if (withoutAccess && response.text.includes(MARKER)) leaks.push(`${route.key} as ${caller} (${response.status}): ${response.text.slice(0, 200)}`)
        if (caller === 'admin' && response.text.includes(MARKER)) markedForAdmin.add(route.key)
      }
    }
    expect.soft(mismatches, 'statuses that differ from the table').toEqual([])
    expect.soft(leaks, 'answers to callers without access that show the fixtures').toEqual([])
    expect(MARKED_FOR_ADMIN.filter(key => !markedForAdmin.has(key)), 'fixtures the admin should see marked (else the leak check proves nothing)').toEqual([])
  })
})
