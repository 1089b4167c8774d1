// The edges of a request, attacked over real HTTP against a real web process: bodies too
// big to hold (declared or streamed), strings Postgres cannot store, nesting deep enough to
// overflow a stack, SQL with nothing in it, unknown API paths, and error answers whose
// reason phrase must match their status.
import { readFileSync } from 'node:fs'
import { request as httpRequest, STATUS_CODES } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type RunningApp } from '../support/app'
import { buildMember, buildOrg, TEST_PASSWORD } from '../support/builders'
import { useTestDatabase } from '../support/database'
import { buildDatasource } from '../support/engine-builders'
import { ApiClient } from '../support/http'

const MiB = 1024 * 1024

let app: RunningApp
let editor: ApiClient
let datasourceId: string

beforeAll(async () => {
  const databaseUrl = await useTestDatabase()
  const orgId = (await buildOrg()).id
  datasourceId = (await buildDatasource(orgId, databaseUrl)).id
  app = await startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'web' })
  const member = await buildMember(orgId, 'editor')
  editor = new ApiClient(app.url)
  await editor.login(member.email, TEST_PASSWORD)
})
afterAll(() => app?.stop())

/** The web process's resident and peak memory, in MiB, from the kernel's own accounting. */
function serverMemory(): { rssMiB: number, peakMiB: number } {
  const status = readFileSync(`/proc/${app.process.pid}/status`, 'utf8')
  const kib = (field: string) => Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))![1])
  return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 }
}

interface StreamedAnswer {
  status: number
  text: string
  // how much of the body the client had written when the answer came
  sentBytes: number
  elapsedMs: number
}

/**
 * POSTs a body of `totalBytes` spaces, written 64 KiB at a time (never built whole), with a
 * Content-Length or chunked; stops writing as soon as the server answers.
 */
function postStreamed(path: string, totalBytes: number, declareLength: boolean, headers: Record<string, string> = {}): Promise<StreamedAnswer> {
  return new Promise((resolve, reject) => {
    const startedAt = performance.now()
    const piece = Buffer.alloc(64 * 1024, 0x20)
    let sentBytes = 0
    let answered = false
    const request = httpRequest(`${app.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(declareLength ? { 'content-length': String(totalBytes) } : {}), ...headers },
    })
    request.on('response', (response) => {
      answered = true
      const answer = { status: response.statusCode!, sentBytes, elapsedMs: performance.now() - startedAt }
      let text = ''
      response.setEncoding('utf8')
      response.on('data', (chunk) => { text += chunk })
      response.on('end', () => resolve({ ...answer, text }))
      // the server closes the connection under a client still sending: keep what arrived
      response.on('error', () => resolve({ ...answer, text }))
    })
    request.on('error', (error) => {
      if (!answered) reject(new Error(`no answer after ${sentBytes} bytes sent: ${error.message}`))
    })
    const pump = () => {
      while (!answered && sentBytes < totalBytes) {
        const size = Math.min(piece.length, totalBytes - sentBytes)
        sentBytes += size
        if (!request.write(size === piece.length ? piece : piece.subarray(0, size))) {
          request.once('drain', pump)
          return
        }
      }
      if (!answered) request.end()
    }
    pump()
  })
}

describe('request body size', () => {
  it.each([
    ['declared by Content-Length', true],
    ['streamed chunked, without a length', false],
  ])('refuses a 256 MB sign-in body %s with 413 before holding it, and the server does not grow', async (_how, declareLength) => {
    // warm the path first, so the figures measure the body and not the first request
    await postStreamed('/api/auth/login', 64 * 1024, declareLength)
    const before = serverMemory()
    const answer = await postStreamed('/api/auth/login', 256 * MiB, declareLength)
    const after = serverMemory()
    console.log(`256 MB sign-in body (${declareLength ? 'Content-Length' : 'chunked'}): ${answer.status} after ${answer.elapsedMs.toFixed(0)} ms, `
      + `${(answer.sentBytes / MiB).toFixed(2)} MiB written by then; server RSS ${before.rssMiB.toFixed(1)} → ${after.rssMiB.toFixed(1)} MiB, `
      + `peak ${before.peakMiB.toFixed(1)} → ${after.peakMiB.toFixed(1)} MiB`)
    expect(answer.status).toBe(413)
    expect(JSON.parse(answer.text)).toMatchObject({ statusCode: 413, message: expect.stringContaining('16384 bytes') })
    // refused long before the body was all sent: the server stopped reading it
    expect(answer.sentBytes).toBeLessThan(64 * MiB)
    expect(after.rssMiB - before.rssMiB).toBeLessThan(50)
    expect(after.peakMiB - before.peakMiB).toBeLessThan(50)
    // and the server still answers
    expect((await fetch(`${app.url}/api/healthz`)).status).toBe(200)
  })

  it('refuses a body over the 2 MiB default on an API route with 413 before sign-in, and reads one under it', async () => {
    // anonymous: the size is refused before anyone is asked to sign in
    const anonymous = await postStreamed('/api/runs', 3 * MiB, true)
    expect(anonymous.status).toBe(413)
    const signedIn = await postStreamed('/api/runs', 3 * MiB, false, { 'cookie': editor.sessionCookie, 'sec-fetch-site': 'same-origin' })
    expect(signedIn.status).toBe(413)
    // a large SQL text under the limit still arrives whole: 1.6 MB of two-byte characters
    const sql = `select 1 -- ${'é'.repeat(800_000)}`
    const accepted = await editor.post('/api/runs', { datasourceId, sql })
    expect(accepted.status).toBe(202)
  })
})

// a JSON body's text nested `levels` deep in arrays, written as text: JSON.stringify itself
// would overflow the test's stack
const deeplyNested = (levels: number) => `${'['.repeat(levels)}1${']'.repeat(levels)}`

describe('strings and nesting in request input', () => {
  const loginClient = () => new ApiClient(app.url)

  it.each([
    ['a NUL in the sign-in email', () => loginClient().post('/api/auth/login', { email: 'ops\u0000@example.test', password: TEST_PASSWORD }), 'email', /NUL/],
    ['a lone surrogate in the sign-in password', () => loginClient().post('/api/auth/login', { email: 'ops@example.test', password: 'pass\ud800word' }), 'password', /surrogate/],
    ['a NUL in ad-hoc SQL', () => editor.post('/api/runs', { datasourceId, sql: 'select \'a\u0000b\'' }), 'sql', /NUL/],
    ['a lone surrogate in a parameter value', () => editor.post('/api/runs', { datasourceId, sql: 'select {{region}}', parameters: [{ name: 'region', type: 'text' }], params: { region: 'North\udc00' } }), 'params.region', /surrogate/],
    ['a NUL in a parameter name (a key)', () => editor.post('/api/runs', { datasourceId, sql: 'select 1', params: { 're\u0000gion': 'North' } }), 'params.re\u0000gion', /NUL/],
    ['a NUL in a query name', () => editor.post('/api/queries', { datasourceId, name: 'Outages\u0000', sql: 'select 1' }), 'name', /NUL/],
    ['a lone surrogate in dashboard text', () => editor.post('/api/dashboards', { name: 'Ops', tiles: [{ text: '# Outages \ud83d', x: 0, y: 0, w: 4, h: 2 }] }), 'tiles.0.text', /surrogate/],
    ['a NUL in a query string', () => editor.get('/api/queries?q=out%00ages'), 'q', /NUL/],
  ])('answers %s with 400 naming the field, never a 500', async (_what, send, path, reason) => {
    const response = await send()
    expect(response.status).toBe(400)
    expect(response.json.data.issues).toContainEqual({ path, message: expect.stringMatching(reason) })
  })

  it.each([
    ['a dashboard filter default', '/api/dashboards', (nested: string, _queryId: string) => `{"name":"Ops","filters":[{"name":"region","type":"text","default":${nested}}]}`, 'filters.0.default'],
    ['schedule params', '/api/schedules', (nested: string, queryId: string) => `{"queryId":"${queryId}","cron":"0 6 * * *","timezone":"UTC","params":{"region":${nested}}}`, 'params.region'],
  ])('answers JSON nested 5,000 deep in %s with 400, and the server stays up', async (_where, path, body, fieldPath) => {
    const query = await editor.post('/api/queries', { datasourceId, name: 'Outages by region', sql: 'select {{region}}', parameters: [{ name: 'region', type: 'text' }] })
    const response = await fetch(`${app.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cookie': editor.sessionCookie, 'sec-fetch-site': 'same-origin' },
      body: body(deeplyNested(5000), query.json.id),
    })
    expect(response.status).toBe(400)
    const issues = (await response.json()).data.issues as { path: string, message: string }[]
    expect(issues).toHaveLength(1)
    expect(issues[0]!.path.startsWith(fieldPath)).toBe(true)
    expect(issues[0]!.message).toMatch(/nested deeper than 64 levels/)
    expect((await fetch(`${app.url}/api/healthz`)).status).toBe(200)
  })
})

describe('blank SQL', () => {
  const blankTexts = [['whitespace only', ' \n\t  '], ['comments only', '-- nothing here\n/* or /* here */ */\n']]

  it.each(blankTexts)('refuses %s SQL with 400 on ad-hoc runs, estimates, and saving a query', async (_what, sql) => {
    const saved = await editor.post('/api/queries', { datasourceId, name: 'Outages', sql: 'select 1' })
    expect(saved.status).toBe(201)
    const attempts = await Promise.all([
      editor.post('/api/runs', { datasourceId, sql }),
      editor.post('/api/runs/estimate', { datasourceId, sql }),
      editor.post('/api/queries', { datasourceId, name: 'Blank', sql }),
      editor.patch(`/api/queries/${saved.json.id}`, { sql }),
    ])
    for (const response of attempts) {
      expect(response.status).toBe(400)
      expect(response.json.data.issues).toContainEqual({ path: 'sql', message: expect.any(String) })
    }
    expect((await editor.get(`/api/queries/${saved.json.id}`)).json.sql).toBe('select 1')
  })
})

describe('unknown API paths', () => {
  const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']

  it.each(methods)('answers %s of an unknown /api path with a JSON 404, never the app\'s page', async (method) => {
    for (const path of ['/api/nope', '/api/queries/00000000-0000-4000-8000-000000000000/nope', '/api']) {
      for (const accept of ['application/json', 'text/html']) {
        const response = await editor.request(method, path, method === 'GET' ? undefined : {}, { accept })
        expect(response.status, `${method} ${path} (${accept})`).toBe(404)
        expect(response.headers.get('content-type')).toMatch(/^application\/json/)
        expect(response.json).toMatchObject({ statusCode: 404, message: expect.any(String) })
      }
    }
    const anonymous = await new ApiClient(app.url).request(method, '/api/nope', undefined, { accept: 'text/html' })
    expect(anonymous.headers.get('content-type')).toMatch(/^application\/json/)
    expect(anonymous.text).not.toMatch(/<html/i)
  })
})

describe('error answers', () => {
  it('say the reason phrase of their own status code, in the status line and the body', async () => {
    const answers = [
      await new ApiClient(app.url).post('/api/auth/login', { email: 42 }),
      await new ApiClient(app.url).get('/api/queries'),
      await new ApiClient(app.url).post('/api/auth/logout', {}, { 'sec-fetch-site': 'cross-site' }),
      await editor.delete('/api/nope'),
      await editor.get('/api/queries/00000000-0000-4000-8000-000000000000'),
    ]
    expect(answers.map(answer => answer.status)).toEqual([400, 401, 403, 404, 404])
    for (const answer of answers) {
      expect(answer.json.statusMessage, `${answer.status}`).toBe(STATUS_CODES[answer.status])
    }
    const raw = await fetch(`${app.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":42}' })
    expect(raw.status).toBe(400)
    expect(raw.statusText).toBe('Bad Request')
    const tooLarge = await postStreamed('/api/auth/login', 32 * 1024, true)
    expect(tooLarge.status).toBe(413)
    expect(JSON.parse(tooLarge.text).statusMessage).toBe(STATUS_CODES[413])
  })
})
