// Dashboard serving benchmark (npm run bench, or `node bench/dashboards.mjs`). On its own
// Postgres (embedded, or DATABASE_URL's server) it starts two web processes and one worker
// on loopback, with the demo data, and measures side by side in one run:
//   1. first view with empty caches: BENCH_COLD_DASHBOARDS 12-tile dashboards whose tiles
//      have fresh results in the database, each opened once on a web process that never
//      served or read them (what a lone user meets once the web's caches have expired);
//   2. cached view: one dashboard opened again and again on the same web process;
//   3. a stale dashboard (results a day old) opened at the same instant by 100 viewers,
//      each with its own session, spread over the two web processes; the runs it starts
//      are counted in the runs table (expected: exactly one per tile), and every viewer
//      polls until it sees every tile refreshed.
// Baseline, same run, same web process, same sessions: reading one stored result page
// (GET /api/runs/:id/result, 200 rows), cold for 1, repeated for 2, 100 at once for 3.
// Cold and cached ratios are medians of per-pair ratios (each view timed next to its
// baseline read). Tiles use the product's default max age, never a long one. The bench
// prints its verdicts and rewrites its section of BENCHMARKS.md; it exits 1 when a
// correctness target (runs per tile, errors, every viewer refreshed) is missed.
import { randomBytes } from 'node:crypto'
import { loadavg } from 'node:os'
import pg from 'pg'
import { buildIfNeeded } from '../scripts/build-if-needed.mjs'
import { createDatabase } from '../scripts/create-database.mjs'
import { startPostgresServer, startTessera } from './processes.mjs'
import { machineLine, verdict, writeBenchmarkSection } from './report.mjs'
import { median, percentile } from './statistics.mjs'

const COLD_DASHBOARDS = Number(process.env.BENCH_COLD_DASHBOARDS ?? 20)
const CACHED_VIEWS = Number(process.env.BENCH_CACHED_VIEWS ?? 200)
const VIEWERS = Number(process.env.BENCH_VIEWERS ?? 100)
const REFRESH_DEADLINE_MS = 60_000
const RUNS_DEADLINE_MS = 300_000
const BASELINE_ROWS = 200
const TARGETS = { coldP95Ms: 100, cachedP95Ms: 100, staleP99Ms: 300 }
const ADMIN = { email: 'bench@tessera.local', password: 'bench-password-1' }
const VIEWER_PASSWORD = 'bench-viewer-password'

const sleep = ms => new Promise(done => setTimeout(done, ms))
const round = value => Math.round(value * 10) / 10

/** One signed-in browser: its own session cookie on one web process. */
class Session {
  constructor(baseUrl) {
    this.baseUrl = baseUrl
    this.cookie = ''
  }

  async request(method, path, body) {
    const response = await fetch(this.baseUrl + path, {
      method,
      headers: { 'sec-fetch-site': 'same-origin', ...(this.cookie ? { cookie: this.cookie } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    })
    const setCookie = response.headers.getSetCookie()
    if (setCookie.length) this.cookie = setCookie[0].split(';')[0]
    const text = await response.text()
    if (!response.ok) throw new Error(`${method} ${path} -> ${response.status} ${text.slice(0, 300)}`)
    return { text, json: () => JSON.parse(text) }
  }

  async json(method, path, body) {
    return (await this.request(method, path, body)).json()
  }

  async login(email, password) {
    await this.request('POST', '/api/auth/login', { email, password })
    return this
  }

  /** Milliseconds one GET takes, body read to its end. */
  async time(path) {
    const started = performance.now()
    await this.request('GET', path)
    return performance.now() - started
  }
}

// twelve tiles over the demo ops data: 3 line, 3 stat, 4 bar, 2 table
const TILES = [
  ['line', `SELECT date_trunc('hour', observed_at) AS hour, avg(p99_us)::float8 AS p99 FROM ops.trading_latency WHERE venue = 'TSX' GROUP BY 1 ORDER BY 1`, { x: 'hour', y: ['p99'] }],
  ['line', `SELECT date_trunc('hour', observed_at) AS hour, avg(p50_us)::float8 AS p50 FROM ops.trading_latency WHERE venue = 'NEO' GROUP BY 1 ORDER BY 1`, { x: 'hour', y: ['p50'] }],
  ['line', `SELECT date_trunc('day', observed_at) AS day, venue, sum(messages)::int8 AS messages FROM ops.trading_latency GROUP BY 1, 2 ORDER BY 1`, { x: 'day', y: ['messages'] }],
  ['stat', `SELECT count(*)::int AS outages FROM ops.outages`, { value: 'outages' }],
  ['stat', `SELECT sum(customers_affected)::int8 AS customers FROM ops.outages`, { value: 'customers' }],
  ['stat', `SELECT count(*)::int AS planned FROM ops.outages WHERE planned`, { value: 'planned' }],
  ['bar', `SELECT cause, count(*)::int AS outages FROM ops.outages GROUP BY 1 ORDER BY 2 DESC`, { x: 'cause', y: ['outages'] }],
  ['bar', `SELECT region_id, count(*)::int AS outages FROM ops.outages GROUP BY 1 ORDER BY 1`, { x: 'region_id', y: ['outages'] }],
  ['bar', `SELECT utility_id, sum(customers_affected)::int8 AS customers FROM ops.outages GROUP BY 1 ORDER BY 1`, { x: 'utility_id', y: ['customers'] }],
  ['bar', `SELECT date_trunc('day', started_at) AS day, count(*)::int AS outages FROM ops.outages GROUP BY 1 ORDER BY 1`, { x: 'day', y: ['outages'] }],
  ['table', `SELECT * FROM ops.outages ORDER BY started_at DESC LIMIT 200`, {}],
  ['table', `SELECT venue, avg(p99_us)::float8 AS p99 FROM ops.trading_latency GROUP BY 1`, {}],
]
const BASELINE_SQL = `SELECT * FROM ops.outages ORDER BY started_at DESC LIMIT ${BASELINE_ROWS}`

/**
 * A 12-tile dashboard of its own queries (the tag makes each SQL text, so each cache key,
 * its own), plus one query whose result page is the baseline read. No query sets a max
 * age: the product's default decides what is fresh.
 */
async function buildDashboard(admin, datasourceId, tag) {
  const tiles = []
  const queryIds = []
  for (const [index, [type, sql, config]] of TILES.entries()) {
    const query = await admin.json('POST', '/api/queries', { name: `${tag} tile ${index}`, datasourceId, sql: `/* ${tag} */ ${sql}`, parameters: [] })
    queryIds.push(query.id)
    const visualization = await admin.json('POST', `/api/queries/${query.id}/visualizations`, { name: `${tag} ${index}`, type, config })
    tiles.push({ visualizationId: visualization.id, x: (index % 4) * 3, y: Math.floor(index / 4) * 3, w: 3, h: 3, bindings: {} })
  }
  const baseline = await admin.json('POST', '/api/queries', { name: `${tag} baseline page`, datasourceId, sql: `/* ${tag} baseline */ ${BASELINE_SQL}`, parameters: [] })
  const dashboard = await admin.json('POST', '/api/dashboards', { name: `Bench ${tag}`, tiles })
  return { id: dashboard.id, path: `/api/dashboards/${dashboard.id}`, queryIds, baselineQueryId: baseline.id }
}

/** Runs every query once (as an editor's Run would) and waits until all succeeded; returns run ids by query. */
async function runQueries(admin, queryIds) {
  const runIds = new Map()
  for (const queryId of queryIds) runIds.set(queryId, (await admin.json('POST', `/api/queries/${queryId}/runs`, { maxAgeSeconds: 0 })).id)
  const pending = new Set(runIds.values())
  const deadline = Date.now() + RUNS_DEADLINE_MS
  while (pending.size) {
    for (const runId of [...pending]) {
      const run = await admin.json('GET', `/api/runs/${runId}`)
      if (run.status === 'succeeded') pending.delete(runId)
      else if (['failed', 'canceled', 'timed_out'].includes(run.status)) throw new Error(`set-up run ${runId} ended ${run.status}: ${run.error}`)
    }
    if (pending.size && Date.now() > deadline) throw new Error(`${pending.size} set-up runs still open after ${RUNS_DEADLINE_MS / 1000} s`)
    if (pending.size) await sleep(250)
  }
  return runIds
}

/** Creates `count` viewers through the admin API and signs each in on its web process (alternating). */
async function signInViewers(admin, webUrls, count) {
  const viewers = []
  for (let start = 0; start < count; start += 4) {
    viewers.push(...await Promise.all(Array.from({ length: Math.min(4, count - start) }, async (_, offset) => {
      const index = start + offset
      const email = `viewer-${index}@bench.test`
      await admin.json('POST', '/api/admin/users', { email, name: `Viewer ${index}`, password: VIEWER_PASSWORD, role: 'viewer' })
      return new Session(webUrls[index % webUrls.length]).login(email, VIEWER_PASSWORD)
    })))
  }
  return viewers
}

function latencies(samples) {
  return { n: samples.length, p50: percentile(samples, 0.5), p95: percentile(samples, 0.95), p99: percentile(samples, 0.99) }
}

/** Pairs of (dashboard view, baseline page read) on one session, alternating which goes first. */
async function timePairs(session, pairs) {
  const views = []
  const pages = []
  for (const [index, { viewPath, pagePath }] of pairs.entries()) {
    if (index % 2 === 0) {
      views.push(await session.time(viewPath))
      pages.push(await session.time(pagePath))
    }
    else {
      pages.push(await session.time(pagePath))
      views.push(await session.time(viewPath))
    }
  }
  return { view: latencies(views), page: latencies(pages), ratio: median(views.map((view, index) => view / pages[index])) }
}

const isRefreshed = (view, since) => view.tiles.every(tile => tile.run?.status === 'succeeded' && tile.result && Date.parse(tile.run.finishedAt) >= since)

/**
 * Every viewer opens `path` at the same instant, then polls until every tile is refreshed.
 * A viewer reads its view (JSON.parse, about a millisecond for 100 KB) only once every
 * viewer has its first answer: a hundred browsers parse on their own CPUs, and parsing
 * here, on the one thread all viewers share, would delay the other viewers' answers.
 */
async function openTogether(viewers, path, since) {
  const opened = []
  const refreshedAfter = []
  let errors = 0
  let barrier
  const start = new Promise((done) => { barrier = done })
  let allAnswered
  const answered = new Promise((done) => { allAnswered = done })
  let waiting = viewers.length
  const answer = () => { if (--waiting === 0) allAnswered() }
  const all = Promise.all(viewers.map(async (viewer) => {
    await start
    const began = performance.now()
    let response
    try {
      response = await viewer.request('GET', path)
      opened.push(performance.now() - began)
    }
    catch {
      errors++
      return
    }
    finally {
      answer()
    }
    await answered
    let view = response.json()
    const deadline = Date.now() + REFRESH_DEADLINE_MS
    while (!isRefreshed(view, since) && Date.now() < deadline) {
      await sleep(500)
      try {
        view = await viewer.json('GET', path)
      }
      catch {
        errors++
      }
    }
    if (isRefreshed(view, since)) refreshedAfter.push(performance.now() - began)
  }))
  barrier()
  await all
  return { opened: latencies(opened), errors, refreshed: refreshedAfter.length, slowestRefreshMs: Math.max(0, ...refreshedAfter) }
}

/** The baseline of the stale phase: every viewer reads one stored result page at the same instant. */
async function readTogether(viewers, pagePath) {
  let barrier
  const start = new Promise((done) => { barrier = done })
  let errors = 0
  const samples = []
  const all = Promise.all(viewers.map(async (viewer) => {
    await start
    try {
      samples.push(await viewer.time(pagePath))
    }
    catch {
      errors++
    }
  }))
  barrier()
  await all
  return { ...latencies(samples), errors }
}

async function measure({ webA, webB, metadataUrl }) {
  const admin = await new Session(webA.url).login(ADMIN.email, ADMIN.password)
  const [datasource] = await admin.json('GET', '/api/datasources')
  const pagePath = runId => `/api/runs/${runId}/result?offset=0&limit=${BASELINE_ROWS}`

  // 1. first views with empty caches: results made through web A, read only by web B
  const cold = []
  for (let index = 0; index < COLD_DASHBOARDS; index++) cold.push(await buildDashboard(admin, datasource.id, `cold ${index}`))
  const coldRuns = await runQueries(admin, cold.flatMap(dashboard => [...dashboard.queryIds, dashboard.baselineQueryId]))
  const reader = await new Session(webB.url).login(ADMIN.email, ADMIN.password)
  const coldPairs = cold.map(dashboard => ({ viewPath: dashboard.path, pagePath: pagePath(coldRuns.get(dashboard.baselineQueryId)) }))
  const firstView = await timePairs(reader, coldPairs)
  const viewBytes = (await reader.request('GET', cold[0].path)).text.length

  // 2. the same dashboard again and again on the same web process
  const cachedView = await timePairs(reader, Array.from({ length: CACHED_VIEWS }, () => coldPairs[0]))

  // 3. a stale dashboard opened by every viewer at once, on two web processes
  const viewers = await signInViewers(admin, [webA.url, webB.url], VIEWERS)
  const stale = await buildDashboard(admin, datasource.id, 'stale')
  const staleRuns = await runQueries(admin, [...stale.queryIds, stale.baselineQueryId])
  const database = new pg.Client({ connectionString: metadataUrl })
  await database.connect()
  try {
    // a day old: older than any default max age
    await database.query(`UPDATE runs SET queued_at = queued_at - interval '1 day', started_at = started_at - interval '1 day', finished_at = finished_at - interval '1 day' WHERE query_id = ANY($1::uuid[])`, [stale.queryIds])
    const concurrentBaseline = await readTogether(viewers, pagePath(staleRuns.get(stale.baselineQueryId)))
    const { rows: [{ now: staleSince }] } = await database.query('SELECT now()')
    const together = await openTogether(viewers, stale.path, staleSince.getTime())
    // runs still queued or running when the viewers gave up are counted too
    const { rows: [{ started }] } = await database.query('SELECT count(*)::int AS started FROM runs WHERE query_id = ANY($1::uuid[]) AND queued_at >= $2', [stale.queryIds, staleSince])
    const { rows: [{ version }] } = await database.query(`SELECT current_setting('server_version') AS version`)
    return { firstView, cachedView, viewBytes, concurrentBaseline, together, runsStarted: started, tiles: stale.queryIds.length, postgresVersion: version }
  }
  finally {
    await database.end()
  }
}

function report(figures, loadAtStart) {
  const { firstView, cachedView, concurrentBaseline, together, runsStarted, tiles } = figures
  const ms = value => `${round(value)} ms`
  const rows = [
    {
      measure: `first view, caches empty, fresh results in the database (${firstView.view.n} dashboards, one view each)`,
      tessera: `p50 ${ms(firstView.view.p50)}, p95 ${ms(firstView.view.p95)}`,
      baseline: `one result page, cold: p50 ${ms(firstView.page.p50)}, p95 ${ms(firstView.page.p95)}`,
      ratio: `${round(firstView.ratio)}×`,
      target: `p95 ≤ ${TARGETS.coldP95Ms} ms`,
      met: firstView.view.p95 <= TARGETS.coldP95Ms,
    },
    {
      measure: `cached view, the same dashboard ${cachedView.view.n} times`,
      tessera: `p50 ${ms(cachedView.view.p50)}, p95 ${ms(cachedView.view.p95)}`,
      baseline: `the same page again: p50 ${ms(cachedView.page.p50)}, p95 ${ms(cachedView.page.p95)}`,
      ratio: `${round(cachedView.ratio)}×`,
      target: `p95 ≤ ${TARGETS.cachedP95Ms} ms`,
      met: cachedView.view.p95 <= TARGETS.cachedP95Ms,
    },
    {
      measure: `stale dashboard opened by ${VIEWERS} viewers at once (own sessions, 2 web processes)`,
      tessera: `p50 ${ms(together.opened.p50)}, p99 ${ms(together.opened.p99)}, ${together.errors} errors`,
      baseline: `${VIEWERS} page reads at once: p99 ${ms(concurrentBaseline.p99)}, ${concurrentBaseline.errors} errors`,
      ratio: `${round(together.opened.p99 / concurrentBaseline.p99)}×`,
      target: `p99 ≤ ${TARGETS.staleP99Ms} ms, 0 errors`,
      met: together.opened.p99 <= TARGETS.staleP99Ms && together.errors === 0,
    },
    {
      measure: `runs started by those ${VIEWERS} viewers (runs table)`,
      tessera: `${runsStarted} for ${tiles} tiles`,
      baseline: '',
      ratio: '',
      target: `exactly ${tiles} (one per tile)`,
      met: runsStarted === tiles,
      correctness: true,
    },
    {
      measure: 'viewers that saw every tile refreshed',
      tessera: `${together.refreshed} of ${VIEWERS}, the last after ${(together.slowestRefreshMs / 1000).toFixed(1)} s`,
      baseline: '',
      ratio: '',
      target: `all, within ${REFRESH_DEADLINE_MS / 1000} s`,
      met: together.refreshed === VIEWERS,
      correctness: true,
    },
  ]
  const body = `## Dashboards

Produced by \`node bench/dashboards.mjs\` (also run by \`npm run bench\`): two web processes and one
worker on loopback, an embedded Postgres with the demo data, 12-tile dashboards (3 line, 3
stat, 4 bar, 2 table; ${Math.round(figures.viewBytes / 1024)} KiB of JSON per view) whose queries keep the default
max age. Baseline in the same run: reading one stored result page (${BASELINE_ROWS} rows) on the
same web process with the same session. Ratios of the first and cached views are medians
of per-pair ratios (each view timed next to its baseline read). Verdicts computed by the bench.

${machineLine(loadAtStart, figures.postgresVersion)}

| measure | Tessera | baseline (same run) | ratio | target | verdict |
|---|---|---|---|---|---|
${rows.map(row => `| ${row.measure} | ${row.tessera} | ${row.baseline} | ${row.ratio} | ${row.target} | ${verdict(row.met)} |`).join('\n')}
`
  return { body, rows }
}

async function main() {
  const loadAtStart = loadavg()[0]
  const postgres = await startPostgresServer()
  const processes = []
  try {
    buildIfNeeded()
    const suffix = `${Date.now()}_${randomBytes(3).toString('hex')}`
    const metadataUrl = await createDatabase(postgres.serverUrl, `bench_dashboards_${suffix}`)
    const demoUrl = await createDatabase(postgres.serverUrl, `bench_dashboards_demo_${suffix}`)
    const env = {
      DATABASE_URL: metadataUrl,
      TESSERA_DEMO_DATABASE_URL: demoUrl,
      TESSERA_SECRET_KEY: randomBytes(32).toString('hex'),
      TESSERA_ADMIN_EMAIL: ADMIN.email,
      TESSERA_ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: 'warn',
      // the set-up enqueues every tile's run at once as one admin (about 260 runs); the
      // quotas guard users, not what this bench measures
      TESSERA_QUOTA_USER_ACTIVE_RUNS: '10000',
      TESSERA_QUOTA_ORG_ACTIVE_RUNS: '10000',
      TESSERA_QUOTA_USER_RUNS_PER_MINUTE: '10000',
      TESSERA_QUOTA_ORG_RUNS_PER_MINUTE: '10000',
    }
    // the first web process migrates and seeds the demo org; the others join it
    const webA = await startTessera('web', env)
    processes.push(webA)
    const [webB, worker] = await Promise.all([startTessera('web', env), startTessera('worker', env)])
    processes.push(webB, worker)
    const figures = await measure({ webA, webB, metadataUrl })
    const { body, rows } = report(figures, loadAtStart)
    console.log(`\n${body}`)
    await writeBenchmarkSection('dashboards', 'bench/dashboards.mjs', body)
    console.log(JSON.stringify({ bench: 'dashboards', ...figures }))
    if (rows.some(row => row.correctness && !row.met)) process.exitCode = 1
  }
  finally {
    await Promise.all(processes.map(server => server.stop()))
    await postgres.stop()
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
