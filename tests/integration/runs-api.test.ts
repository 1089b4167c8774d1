import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type RunningApp } from '../support/app'
import { buildMember, buildOrg, grantEveryone, TEST_PASSWORD } from '../support/builders'
import { useTestDatabase, queryDatabase } from '../support/database'
import { settingsForUrl } from '../support/engine-builders'
import { ApiClient } from '../support/http'
import { readEventStream } from '../support/sse'

let databaseUrl: string
let web: RunningApp
let worker: RunningApp
let admin: ApiClient
let editor: ApiClient
let viewer: ApiClient
let datasourceId: string

const INJECTION = `'); DROP TABLE secrets; --`

const sourceQuery = (text: string) => queryDatabase(databaseUrl, text)

async function signedIn(orgId: string, role: 'viewer' | 'editor' | 'admin') {
  const member = await buildMember(orgId, role)
  const client = new ApiClient(web.url)
  await client.login(member.email, TEST_PASSWORD)
  return client
}

async function waitForFinish(client: ApiClient, runId: string) {
  const deadline = Date.now() + 30_000
  for (;;) {
    const { json } = await client.get(`/api/runs/${runId}`)
    if (['succeeded', 'failed', 'canceled', 'timed_out'].includes(json.status)) return json
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${json.status}`)
    await new Promise(done => setTimeout(done, 50))
  }
}

async function createQuery(body: Record<string, unknown>) {
  const response = await editor.post('/api/queries', { datasourceId, ...body })
  expect(response.status, response.text).toBe(201)
  return response.json
}

async function runToEnd(client: ApiClient, queryId: string, params: Record<string, unknown> = {}) {
  const response = await client.post(`/api/queries/${queryId}/runs`, { params, maxAgeSeconds: 0 })
  expect(response.status, response.text).toBe(202)
  return waitForFinish(client, response.json.id)
}

function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') { field += '"'; index++ }
      else if (char === '"') quoted = false
      else field += char
    }
    else if (char === '"') quoted = true
    else if (char === ',') { row.push(field); field = '' }
    else if (char === '\r' && text[index + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; index++ }
    else field += char
  }
  return rows
}

beforeAll(async () => {
  databaseUrl = await useTestDatabase()
  ;[web, worker] = await Promise.all([
    startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'web' }),
    startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'worker', TESSERA_RESULT_CHUNK_ROWS: '100' }),
  ])
  const orgId = (await buildOrg()).id
  ;[admin, editor, viewer] = await Promise.all([signedIn(orgId, 'admin'), signedIn(orgId, 'editor'), signedIn(orgId, 'viewer')])
  const settings = settingsForUrl(databaseUrl)
  const created = await admin.post('/api/datasources', { name: 'Test DB', type: 'postgres', config: { ...settings.config, password: settings.password } })
  expect(created.status, created.text).toBe(201)
  datasourceId = created.json.id
  await grantEveryone(orgId, datasourceId)
  await sourceQuery(`CREATE TABLE secrets (id int, note text); INSERT INTO secrets VALUES (1, 'plain'), (2, $q$${INJECTION}$q$)`)
})

afterAll(async () => {
  await Promise.all([web?.stop(), worker?.stop()])
})

describe('running saved queries over HTTP', () => {
  it('lets a viewer run a saved query: 202, then the run succeeds and its result pages', async () => {
    const query = await createQuery({ name: 'series', sql: 'SELECT g AS n, \'row \' || g AS label FROM generate_series(1, {{count}}::int) g', parameters: [{ name: 'count', type: 'integer', required: true }] })
    const response = await viewer.post(`/api/queries/${query.id}/runs`, { params: { count: 250 } })
    expect(response.status).toBe(202)
    expect(response.json).toMatchObject({ status: 'queued', cached: false, joined: false, queryId: query.id, trigger: 'user' })
    const finished = await waitForFinish(viewer, response.json.id)
    expect(finished).toMatchObject({ status: 'succeeded', rowCount: 250, truncated: false, error: null, cached: false })
    const page = await viewer.get(`/api/runs/${finished.id}/result?offset=95&limit=10`)
    expect(page.status).toBe(200)
    expect(page.json).toMatchObject({ columns: [{ name: 'n', type: 'int4' }, { name: 'label', type: 'text' }], rowCount: 250, truncated: false, offset: 95 })
    expect(page.json.rows.map((row: unknown[]) => row[0])).toEqual([96, 97, 98, 99, 100, 101, 102, 103, 104, 105])
    expect((await viewer.get(`/api/runs/${finished.id}/result?offset=0&limit=10001`)).status).toBe(400)
    expect((await viewer.get(`/api/runs/${finished.id}/result?offset=-1`)).json.data.issues[0].path).toBe('offset')
  })

  it('answers a second identical request from the cache with the same run, and refreshes with maxAgeSeconds 0', async () => {
    const query = await createQuery({ name: 'cached', sql: 'SELECT 42 AS answer' })
    const first = await viewer.post(`/api/queries/${query.id}/runs`, {})
    await waitForFinish(viewer, first.json.id)
    const second = await viewer.post(`/api/queries/${query.id}/runs`, {})
    expect(second.status).toBe(202)
    expect(second.json).toMatchObject({ id: first.json.id, cached: true, status: 'succeeded' })
    expect((await viewer.get(`/api/runs/${first.json.id}`)).json.cached).toBe(false)
    const refreshed = await viewer.post(`/api/queries/${query.id}/runs`, { maxAgeSeconds: 0 })
    expect(refreshed.json.id).not.toBe(first.json.id)
    const history = await viewer.get(`/api/queries/${query.id}/runs`)
    expect(history.json).toHaveLength(2)
  })

  it('answers bad parameter values with a 400 whose issues name the parameter', async () => {
    const query = await createQuery({ name: 'typed', sql: 'SELECT {{day}}', parameters: [{ name: 'day', type: 'date', required: true }] })
    const response = await viewer.post(`/api/queries/${query.id}/runs`, { params: { day: 'tomorrow-ish' } })
    expect(response.status).toBe(400)
    expect(response.json.data.issues).toEqual([{ path: 'params.day', message: expect.stringMatching(/^parameter "day" must be a date/) }])
    const missing = await viewer.post(`/api/queries/${query.id}/runs`, {})
    expect(missing.json.data.issues).toEqual([{ path: 'params.day', message: 'parameter "day" is required' }])
  })

  it('executes injection strings in every parameter type as data, never as SQL', async () => {
    const source = await createQuery({ name: 'notes', sql: 'SELECT note FROM secrets ORDER BY id' })
    await runToEnd(editor, source.id)
    const query = await createQuery({
      name: 'every type',
      sql: `SELECT {{text}} AS text, {{choice}} AS choice, {{from_query}} AS from_query, {{many}} AS many,
              {{n}} AS n, {{i}} AS i, {{b}} AS b, {{d}} AS d, {{ts}} AS ts, {{r.start}} AS range_start, {{r.end}} AS range_end
            [[ , {{optional}} AS optional ]]`,
      parameters: [
        { name: 'text', type: 'text' },
        { name: 'choice', type: 'enum', options: ['plain', INJECTION] },
        { name: 'from_query', type: 'query_enum', queryId: source.id },
        { name: 'many', type: 'text', multiple: true },
        { name: 'n', type: 'number' },
        { name: 'i', type: 'integer' },
        { name: 'b', type: 'boolean' },
        { name: 'd', type: 'date' },
        { name: 'ts', type: 'timestamp' },
        { name: 'r', type: 'date_range' },
        { name: 'optional', type: 'text' },
      ],
    })
    const finished = await runToEnd(viewer, query.id, {
      text: INJECTION, choice: INJECTION, from_query: INJECTION, many: [INJECTION, '{{text}}'], optional: `$$; DROP TABLE secrets; $$`,
      n: '1.5', i: '7', b: false, d: '2026-01-02', ts: '2026-01-02T03:04:05Z', r: { start: '2026-01-01', end: '2026-01-31' },
    })
    expect(finished.status, finished.error).toBe('succeeded')
    const page = await viewer.get(`/api/runs/${finished.id}/result`)
    expect(page.json.rows).toEqual([[INJECTION, INJECTION, INJECTION, `{"'); DROP TABLE secrets; --","{{text}}"}`, '1.5', '7', false, '2026-01-02', '2026-01-02 03:04:05+00', '2026-01-01', '2026-01-31', '$$; DROP TABLE secrets; $$']])
    // typed parameters refuse what is not of their type instead of passing it on
    for (const name of ['n', 'i', 'b', 'd', 'ts', 'r']) {
      const refused = await viewer.post(`/api/queries/${query.id}/runs`, { params: { [name]: INJECTION } })
      expect(refused.status, name).toBe(400)
      expect(refused.json.data.issues[0].path).toBe(`params.${name}`)
    }
    const outsideChoices = await viewer.post(`/api/queries/${query.id}/runs`, { params: { from_query: 'not a note' } })
    expect(outsideChoices.json.data.issues[0]).toMatchObject({ path: 'params.from_query', message: expect.stringMatching(/not one of its choices/) })
    expect((await sourceQuery('SELECT count(*)::int AS count FROM secrets')).rows[0].count).toBe(2)
  })

  it('lists query_enum choices from the source query\'s latest result', async () => {
    const source = await createQuery({ name: 'choices', sql: `SELECT unnest(ARRAY['b', 'a', 'b', NULL]) AS v` })
    const query = await createQuery({ name: 'picker', sql: 'SELECT {{v}}', parameters: [{ name: 'v', type: 'query_enum', queryId: source.id }] })
    // a source that never ran is run once, on a worker, and its result offered
    const first = (await viewer.get(`/api/queries/${query.id}/parameters/v/options`)).json
    expect(first).toMatchObject({ values: ['b', 'a'], sourceRunId: expect.any(String) })
    // the editor asks by source and gets the same answer from the same function
    expect((await viewer.get(`/api/queries/${source.id}/choices`)).json).toEqual({ values: ['b', 'a'], sourceRunId: first.sourceRunId, updatedAt: first.updatedAt })
    const run = await runToEnd(editor, source.id)
    expect((await viewer.get(`/api/queries/${query.id}/parameters/v/options`)).json).toMatchObject({ values: ['b', 'a'], sourceRunId: run.id })
    expect((await viewer.get(`/api/queries/${query.id}/parameters/nope/options`)).status).toBe(404)
    expect((await viewer.get(`/api/queries/${crypto.randomUUID()}/choices`)).status).toBe(404)
  })

  it('streams status events over SSE: the current status first, then running and succeeded', async () => {
    const query = await createQuery({ name: 'slow', sql: 'SELECT pg_sleep(1.2), 1 AS one' })
    const started = await viewer.post(`/api/queries/${query.id}/runs`, { maxAgeSeconds: 0 })
    const stream = await readEventStream(`${web.url}/api/runs/${started.json.id}/events`, { cookie: viewer.sessionCookie })
    expect(stream.status).toBe(200)
    expect(stream.contentType).toMatch(/text\/event-stream/)
    const statuses = stream.messages.filter(message => message.event === 'status').map(message => JSON.parse(message.data).status)
    expect(statuses[0]).toMatch(/queued|running/)
    expect(statuses).toContain('running')
    expect(statuses.at(-1)).toBe('succeeded')
    expect(JSON.parse(stream.messages.at(-1)!.data)).toMatchObject({ id: started.json.id, rowCount: 1 })
    // a finished run: one status message, then the stream ends
    const again = await readEventStream(`${web.url}/api/runs/${started.json.id}/events`, { cookie: viewer.sessionCookie })
    expect(again.messages.map(message => JSON.parse(message.data).status)).toEqual(['succeeded'])
  })

  it('streams several runs over one connection until every one has ended', async () => {
    const slow = await createQuery({ name: 'slow pair', sql: 'SELECT pg_sleep(1.2), 2 AS two' })
    const quick = await createQuery({ name: 'quick pair', sql: 'SELECT 3 AS three' })
    const first = (await viewer.post(`/api/queries/${slow.id}/runs`, { maxAgeSeconds: 0 })).json
    const second = (await viewer.post(`/api/queries/${quick.id}/runs`, { maxAgeSeconds: 0 })).json
    const stream = await readEventStream(`${web.url}/api/runs/events?ids=${first.id},${second.id}`, { cookie: viewer.sessionCookie })
    expect(stream.status).toBe(200)
    const last = new Map<string, { status: string, rowCount: number | null }>()
    for (const message of stream.messages.filter(message => message.event === 'status')) {
      const data = JSON.parse(message.data)
      last.set(data.id, data)
    }
    // the stream ended by itself, with each run's final, full state in it
    expect(Object.fromEntries(last)).toEqual({
      [first.id]: expect.objectContaining({ status: 'succeeded', rowCount: 1, queuedAt: expect.any(String) }),
      [second.id]: expect.objectContaining({ status: 'succeeded', rowCount: 1, queuedAt: expect.any(String) }),
    })
    // one id of another org makes it all a 404, before anything streams
    const stranger = await signedIn((await buildOrg()).id, 'viewer')
    expect((await stranger.get(`/api/runs/events?ids=${first.id}`)).status).toBe(404)
    const refused = await viewer.get(`/api/runs/events?ids=${first.id},nope`)
    expect(refused.status).toBe(400)
    expect(refused.json.data.issues[0].path).toMatch(/^ids/)
  })

  it('cancels a running run', async () => {
    const query = await createQuery({ name: 'sleeper', sql: 'SELECT pg_sleep(20)' })
    const started = await viewer.post(`/api/queries/${query.id}/runs`, { maxAgeSeconds: 0 })
    // fails (does not fall through) if the run never reaches running: canceling a queued run proves nothing here
    await readEventStream(`${web.url}/api/runs/${started.json.id}/events`, { cookie: viewer.sessionCookie }, message => message.event === 'status' && JSON.parse(message.data).status === 'running', 20_000)
    const other = await signedIn((await admin.get('/api/auth/me')).json.org.id, 'viewer')
    expect((await other.post(`/api/runs/${started.json.id}/cancel`)).status).toBe(403)
    expect((await viewer.post(`/api/runs/${started.json.id}/cancel`)).status).toBe(200)
    expect(await waitForFinish(viewer, started.json.id)).toMatchObject({ status: 'canceled', startedAt: expect.any(String) })
    expect((await viewer.get(`/api/runs/${started.json.id}/result`)).status).toBe(409)
  })

  it('exports the whole result as CSV, JSON and XLSX that match the rows', async () => {
    const query = await createQuery({
      name: 'export me',
      sql: `SELECT g AS n, CASE WHEN g % 3 = 0 THEN 'quote " comma , and' || chr(10) || 'newline' ELSE 'plain ' || g END AS label,
                   g::bigint * 10000000000 AS big, CASE WHEN g % 5 = 0 THEN NULL ELSE g % 2 = 0 END AS flag
            FROM generate_series(1, 350) g ORDER BY g`,
    })
    const run = await runToEnd(viewer, query.id)
    const page = (await viewer.get(`/api/runs/${run.id}/result?limit=10000`)).json
    const csv = await viewer.get(`/api/runs/${run.id}/result.csv`)
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/)
    expect(csv.headers.get('content-disposition')).toMatch(/attachment/)
    const parsed = parseCsv(csv.text)
    expect(parsed[0]).toEqual(['n', 'label', 'big', 'flag'])
    expect(parsed.slice(1)).toEqual(page.rows.map((row: unknown[]) => row.map(value => value === null ? '' : String(value))))
    const json = await viewer.get(`/api/runs/${run.id}/result.json`)
    expect(json.json).toEqual({ columns: page.columns, rows: page.rows, rowCount: 350, truncated: false })
    const xlsx = await fetch(`${web.url}/api/runs/${run.id}/result.xlsx`, { headers: { cookie: viewer.sessionCookie } })
    expect(xlsx.status).toBe(200)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(await xlsx.arrayBuffer())
    const sheet = workbook.getWorksheet('Result')!
    expect(sheet.rowCount).toBe(351)
    expect(sheet.getRow(1).values).toEqual([undefined, 'n', 'label', 'big', 'flag'])
    expect(sheet.getRow(4).values).toEqual([undefined, 3, page.rows[2][1], 30000000000, false])
  })

  it('runs ad-hoc SQL for editors only, and estimates without executing', async () => {
    expect((await viewer.post('/api/runs', { datasourceId, sql: 'SELECT 1' })).status).toBe(403)
    const adhoc = await editor.post('/api/runs', { datasourceId, sql: 'SELECT {{x}} AS x', parameters: [{ name: 'x', type: 'text' }], params: { x: 'hi' }, options: { maxAgeSeconds: 0 } })
    expect(adhoc.status).toBe(202)
    expect(adhoc.json).toMatchObject({ queryId: null, sql: 'SELECT $1::text AS x' })
    expect(await waitForFinish(editor, adhoc.json.id)).toMatchObject({ status: 'succeeded', rowCount: 1 })
    // nextval() would move the sequence if the statement ran; an estimate only plans it,
    // with bound values and without
    await sourceQuery('CREATE SEQUENCE IF NOT EXISTS estimate_probe; GRANT USAGE ON SEQUENCE estimate_probe TO PUBLIC')
    const probe = async () => (await sourceQuery('SELECT last_value, is_called FROM estimate_probe')).rows[0]
    const before = await probe()
    for (const body of [
      { sql: `SELECT nextval('estimate_probe'), * FROM secrets WHERE id > {{n}}`, parameters: [{ name: 'n', type: 'integer' }], params: { n: 0 } },
      { sql: `SELECT nextval('estimate_probe'), * FROM secrets` },
    ]) {
      const estimate = await editor.post('/api/runs/estimate', { datasourceId, ...body })
      expect(estimate.status, estimate.text).toBe(200)
      expect(estimate.json).toMatchObject({ rows: expect.any(Number), cost: expect.any(Number) })
    }
    expect(await probe()).toEqual(before)
    const broken = await editor.post('/api/runs/estimate', { datasourceId, sql: 'SELECT nope FROM secrets' })
    expect(broken.status).toBe(422)
    expect(broken.json.data.position).toBe(8)
    const failed = await editor.post('/api/runs', { datasourceId, sql: 'SELECT nope FROM secrets', options: { maxAgeSeconds: 0 } })
    expect(await waitForFinish(editor, failed.json.id)).toMatchObject({ status: 'failed', errorPosition: 8, error: expect.stringMatching(/nope/) })
  })

  it('points a failed run\'s error at the saved query\'s own SQL as well as at the compiled SQL', async () => {
    const source = 'SELECT {{x}} AS x [[, {{y}} AS y]], nope FROM secrets'
    const query = await createQuery({ name: 'broken', sql: source, parameters: [{ name: 'x', type: 'text' }, { name: 'y', type: 'integer' }] })
    const failed = await runToEnd(viewer, query.id, { x: 'a' })
    expect(failed).toMatchObject({ status: 'failed', sql: 'SELECT $1::text AS x , nope FROM secrets' })
    expect(failed.errorPosition).toBe(failed.sql.indexOf('nope') + 1)
    expect(failed.sourceErrorPosition).toBe(source.indexOf('nope') + 1)
    const estimate = await viewer.post(`/api/queries/${query.id}/estimate`, { params: { x: 'a', y: 1 } })
    expect(estimate.status).toBe(422)
    expect(estimate.json.data.position).toBe(source.indexOf('nope') + 1)
  })

  it('keeps runs and results to their org', async () => {
    const query = await createQuery({ name: 'private', sql: 'SELECT 1' })
    const run = await runToEnd(viewer, query.id)
    const outsider = await signedIn((await buildOrg('Elsewhere')).id, 'admin')
    expect((await outsider.get(`/api/runs/${run.id}`)).status).toBe(404)
    expect((await outsider.get(`/api/runs/${run.id}/result`)).status).toBe(404)
    expect((await outsider.get(`/api/runs/${run.id}/result.csv`)).status).toBe(404)
    expect((await outsider.post(`/api/queries/${query.id}/runs`, {})).status).toBe(404)
    expect((await outsider.post('/api/runs', { datasourceId, sql: 'SELECT 1' })).status).toBe(404)
    expect((await readEventStream(`${web.url}/api/runs/${run.id}/events`, { cookie: outsider.sessionCookie })).status).toBe(404)
  })
})
