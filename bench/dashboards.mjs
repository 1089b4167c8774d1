// Dashboard serving benchmark: starts Tessera (`npm start` in a throwaway data folder,
// embedded Postgres, demo data), builds a 12-tile dashboard on the demo datasource,
// waits until every tile has a fresh result, then measures on loopback:
//   1. sequential GET /api/dashboards/:id (12 tiles, fresh) — p50 / p95, target p95 <= 100 ms
//   2. 100 concurrent viewers looping on the same dashboard for a bounded time
//      — p99 and errors, target p99 <= 300 ms and 0 errors; runs started must stay 0
// Baseline in the same run: GET /api/auth/me (an authenticated route that reads one
// session), so the printed ratios travel across machines.
// Run alone: `node bench/dashboards.mjs` (BENCH_VIEWERS, BENCH_SECONDS, BENCH_PORT).
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const port = Number(process.env.BENCH_PORT ?? 3750)
const viewers = Number(process.env.BENCH_VIEWERS ?? 100)
const seconds = Number(process.env.BENCH_SECONDS ?? 15)
const base = `http://127.0.0.1:${port}`
const admin = { email: 'bench@tessera.local', password: 'bench-password-1' }

let cookie = ''
async function call(method, path, body) {
  const response = await fetch(base + path, {
    method,
    headers: { 'sec-fetch-site': 'same-origin', ...(cookie ? { cookie } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  })
  const setCookie = response.headers.getSetCookie?.() ?? []
  if (setCookie.length) cookie = setCookie[0].split(';')[0]
  const text = await response.text()
  if (!response.ok) throw new Error(`${method} ${path} -> ${response.status} ${text.slice(0, 300)}`)
  return text ? JSON.parse(text) : undefined
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b)
  return { n: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) }
}

async function timeSequential(path, count) {
  const samples = []
  for (let index = 0; index < count; index++) {
    const started = performance.now()
    await call('GET', path)
    samples.push(performance.now() - started)
  }
  return summarize(samples)
}

async function waitForHealth(child) {
  for (let attempt = 0; attempt < 900; attempt++) {
    if (child.exitCode !== null) throw new Error('tessera exited before it was healthy')
    try {
      if ((await fetch(`${base}/api/healthz`)).ok) return
    }
    catch { /* starting */ }
    await new Promise(done => setTimeout(done, 200))
  }
  throw new Error('tessera did not become healthy')
}

const tileSql = [
  `SELECT date_trunc('hour', observed_at) AS hour, avg(p99_us)::float8 AS p99 FROM ops.trading_latency WHERE venue = 'TSX' GROUP BY 1 ORDER BY 1`,
  `SELECT date_trunc('hour', observed_at) AS hour, avg(p50_us)::float8 AS p50 FROM ops.trading_latency WHERE venue = 'NEO' GROUP BY 1 ORDER BY 1`,
  `SELECT date_trunc('day', observed_at) AS day, venue, sum(messages)::int8 AS messages FROM ops.trading_latency GROUP BY 1, 2 ORDER BY 1`,
  `SELECT count(*)::int AS outages FROM ops.outages`,
  `SELECT sum(customers_affected)::int8 AS customers FROM ops.outages`,
  `SELECT count(*)::int AS planned FROM ops.outages WHERE planned`,
  `SELECT cause, count(*)::int AS outages FROM ops.outages GROUP BY 1 ORDER BY 2 DESC`,
  `SELECT region_id, count(*)::int AS outages FROM ops.outages GROUP BY 1 ORDER BY 1`,
  `SELECT utility_id, sum(customers_affected)::int8 AS customers FROM ops.outages GROUP BY 1 ORDER BY 1`,
  `SELECT date_trunc('day', started_at) AS day, count(*)::int AS outages FROM ops.outages GROUP BY 1 ORDER BY 1`,
  `SELECT * FROM ops.outages ORDER BY started_at DESC LIMIT 200`,
  `SELECT venue, avg(p99_us)::float8 AS p99 FROM ops.trading_latency GROUP BY 1`,
]

async function buildDashboard() {
  const [datasource] = await call('GET', '/api/datasources')
  const tiles = []
  for (const [index, sql] of tileSql.entries()) {
    const query = await call('POST', '/api/queries', { name: `bench tile ${index}`, datasourceId: datasource.id, sql, parameters: [], options: { maxAgeSeconds: 3600 } })
    const columns = sql.match(/AS (\w+)/g)?.map(match => match.slice(3)) ?? []
    const type = index < 3 ? 'line' : index < 6 ? 'stat' : index < 10 ? 'bar' : 'table'
    const config = type === 'stat' ? { value: columns[0] } : type === 'table' ? {} : { x: columns[0] ?? 'region_id', y: [columns.at(-1)] }
    if (type === 'bar' && index === 7) config.x = 'region_id'
    if (type === 'bar' && index === 8) config.x = 'utility_id'
    if (type === 'bar' && index === 6) config.x = 'cause'
    const visualization = await call('POST', `/api/queries/${query.id}/visualizations`, { name: `tile ${index}`, type, config })
    tiles.push({ visualizationId: visualization.id, x: (index % 4) * 3, y: Math.floor(index / 4) * 3, w: 3, h: 3, bindings: {} })
  }
  return call('POST', '/api/dashboards', { name: 'Bench 12 tiles', tiles })
}

async function waitUntilFresh(dashboardId) {
  for (let attempt = 0; attempt < 600; attempt++) {
    const view = await call('GET', `/api/dashboards/${dashboardId}`)
    if (view.tiles.every(tile => tile.result && tile.run?.status === 'succeeded')) return view
    const failed = view.tiles.find(tile => tile.error)
    if (failed) throw new Error(`tile failed: ${failed.error}`)
    await new Promise(done => setTimeout(done, 250))
  }
  throw new Error('tiles never became fresh')
}

async function concurrentViewers(path) {
  const samples = []
  let errors = 0
  const until = Date.now() + seconds * 1000
  // each viewer keeps its own session cookie? one shared session is what the dashboard
  // costs; sessions are covered by the baseline route
  await Promise.all(Array.from({ length: viewers }, async () => {
    while (Date.now() < until) {
      const started = performance.now()
      try {
        await call('GET', path)
        samples.push(performance.now() - started)
      }
      catch {
        errors++
      }
    }
  }))
  return { ...summarize(samples), errors, perSecond: Math.round(samples.length / seconds) }
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-bench-'))
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    env: { ...process.env, PORT: String(port), TESSERA_WORKER_PORT: String(port + 1), TESSERA_POSTGRES_PORT: String(port + 2), TESSERA_DATA_DIR: dataDir, TESSERA_ADMIN_EMAIL: admin.email, TESSERA_ADMIN_PASSWORD: admin.password, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  try {
    await waitForHealth(child)
    await call('POST', '/api/auth/login', admin)
    const dashboard = await buildDashboard()
    await waitUntilFresh(dashboard.id)
    const path = `/api/dashboards/${dashboard.id}`
    await timeSequential(path, 20) // warm-up
    await timeSequential('/api/auth/me', 20)
    const baseline = await timeSequential('/api/auth/me', 300)
    const fresh = await timeSequential(path, 300)
    const runsBefore = (await call('GET', path)).tiles.map(tile => tile.run.id).join()
    const loadBaseline = await concurrentViewers('/api/auth/me')
    const load = await concurrentViewers(path)
    const runsAfter = (await call('GET', path)).tiles.map(tile => tile.run.id).join()
    const round = value => Math.round(value * 10) / 10
    console.log('\nDashboard serving (12 tiles, fresh results, loopback)')
    console.log(`  baseline GET /api/auth/me        p50 ${round(baseline.p50)} ms  p95 ${round(baseline.p95)} ms`)
    console.log(`  GET dashboard (sequential, n=${fresh.n})  p50 ${round(fresh.p50)} ms  p95 ${round(fresh.p95)} ms  (target p95 <= 100 ms)  ratio p95/baseline ${round(fresh.p95 / baseline.p95)}x`)
    console.log(`  ${viewers} viewers x ${seconds}s, baseline route  p50 ${round(loadBaseline.p50)} ms  p99 ${round(loadBaseline.p99)} ms  ${loadBaseline.perSecond}/s  errors ${loadBaseline.errors}`)
    console.log(`  ${viewers} viewers x ${seconds}s, dashboard       p50 ${round(load.p50)} ms  p99 ${round(load.p99)} ms  ${load.perSecond}/s  errors ${load.errors}  (target p99 <= 300 ms, 0 errors)  ratio p99/baseline ${round(load.p99 / loadBaseline.p99)}x`)
    console.log(`  runs started by viewing fresh tiles: ${runsBefore === runsAfter ? 0 : 'SOME (tile runs changed)'}`)
    console.log(JSON.stringify({ bench: 'dashboards', baseline, fresh, loadBaseline, load, viewers, seconds }))
  }
  finally {
    await new Promise((done) => {
      if (child.exitCode !== null) return done()
      child.once('exit', done)
      child.kill('SIGTERM')
    })
    rmSync(dataDir, { recursive: true, force: true })
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
