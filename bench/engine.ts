// The execution engine benchmark (npm run bench), through real web and worker processes
// (the production entries) on an embedded Postgres (or BENCH_DATABASE_URL's server):
//   - a 1M × 10 run, POST → succeeded, vs psql \copy of the same query to a file, without
//     and with bound parameters: each repetition times both, back to back, and the ratio
//     reported is the median of the per-repetition ratios (paired, so load that moves
//     both moves the ratio less);
//   - 1,000-row pages read over HTTP at random offsets across the 1M-row result (p50 and
//     p99 over BENCH_PAGE_SAMPLES reads), and a scroll through consecutive pages;
//   - a cached answer (the same run within its max age): POST → response;
//   - enqueue → running (runs.started_at − runs.queued_at, the database's clock);
//   - single values of 25, 50 and 100 MB, median of BENCH_REPETITIONS runs each (time per doubling: linear is 2×);
//   - the worker's RSS idle, and its peak (VmHWM) storing 5M rows, on a fresh worker.
// It regenerates the part of BENCHMARKS.md between its markers (figures and verdicts,
// computed here); notes written by hand live outside the markers and are kept.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { buildIfNeeded } from '../scripts/build-if-needed.mjs'
import { startEmbeddedPostgres } from '../scripts/embedded-postgres.mjs'
import { freePort } from '../scripts/free-port.mjs'
import { SERVER_ENTRIES, SERVER_NODE_FLAGS } from '../scripts/server-node-flags.mjs'
import { verdict, writeBenchmarkSection } from './report.mjs'
import { median, percentile } from './statistics.mjs'

const SECRET_KEY = 'ab'.repeat(32)
const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)
const BIG_ROWS_FACTOR = 5
const REPETITIONS = Math.max(3, Number(process.env.BENCH_REPETITIONS ?? 3))
const PAGE_ROWS = 1_000
const PAGE_SAMPLES = Number(process.env.BENCH_PAGE_SAMPLES ?? 1_000)
const CACHED_SAMPLES = 200
const LARGE_VALUE_MB = [25, 50, 100]
const ADMIN = { email: 'bench@tessera.local', password: 'bench-password-1' }

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`
const sleep = (ms: number) => new Promise(done => setTimeout(done, ms))

async function timed(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now()
  await action()
  return performance.now() - started
}

async function withClient<T>(url: string, action: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await action(client)
  }
  finally {
    await client.end()
  }
}

/** Starts a built entry; resolves once its health check answers. */
async function startProcess(entry: string, flags: string[], env: Record<string, string>): Promise<{ child: ChildProcess, url: string }> {
  const port = await freePort()
  const child = spawn(process.execPath, [...flags, entry], {
    env: { ...process.env, ...env, PORT: String(port), NITRO_PORT: String(port), TESSERA_SECRET_KEY: SECRET_KEY },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const url = `http://127.0.0.1:${port}`
  for (let attempt = 0; attempt < 600; attempt++) {
    if (child.exitCode !== null) throw new Error(`${entry} exited (${child.exitCode})`)
    try {
      if ((await fetch(`${url}/api/healthz`)).ok) return { child, url }
    }
    catch { /* starting */ }
    await sleep(100)
  }
  throw new Error(`${entry} did not become healthy`)
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  await new Promise((done) => {
    child.once('exit', done)
    child.kill('SIGTERM')
  })
}

async function memoryMb(pid: number): Promise<{ rss: number, peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)![1])
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 }
}

/** A signed-in HTTP client of the web process. */
function apiClient(base: string) {
  let cookie = ''
  const send = (method: string, path: string, body?: unknown) => fetch(base + path, {
    method,
    headers: { 'sec-fetch-site': 'same-origin', ...(cookie ? { cookie } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  })
  return async function call<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    // a kept-alive connection the server closed while idle (its 5 s keep-alive timeout,
    // passed during a long psql run) fails before the request is sent: send it again
    const response = await send(method, path, body).catch((error: { cause?: { code?: string } }) => {
      if (error.cause?.code !== 'UND_ERR_SOCKET') throw error
      return send(method, path, body)
    })
    const setCookie = response.headers.getSetCookie?.() ?? []
    if (setCookie.length) cookie = setCookie[0]!.split(';')[0]!
    const text = await response.text()
    if (!response.ok) throw new Error(`${method} ${path} -> ${response.status} ${text.slice(0, 300)}`)
    return (text ? JSON.parse(text) : undefined) as T
  }
}

// the machine may be shared: the load around the run says how far to trust the figures
const loadAtStart = loadavg()[0]!

async function main() {
  let stopPostgres = async () => {}
  let serverUrl = process.env.BENCH_DATABASE_URL
  if (!serverUrl) {
    const dataDir = await mkdtemp(join(tmpdir(), 'tessera-bench-pg-'))
    const postgres = await startEmbeddedPostgres({ dataDir, port: await freePort() })
    serverUrl = postgres.urlFor('postgres')
    stopPostgres = async () => {
      await postgres.stop()
      await rm(dataDir, { recursive: true, force: true })
    }
  }
  const urlFor = (database: string) => Object.assign(new URL(serverUrl!), { pathname: `/${database}` }).toString()
  const metadataUrl = urlFor('tessera_bench')
  const sourceUrl = urlFor('tessera_bench_source')
  await withClient(serverUrl, async (admin) => {
    for (const name of ['tessera_bench', 'tessera_bench_source']) {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await admin.query(`CREATE DATABASE ${name}`)
    }
  })
  buildIfNeeded()

  console.log(`Generating ${ROWS.toLocaleString()} rows × 10 columns…`)
  await withClient(sourceUrl, client => client.query(`
    CREATE TABLE facts AS
    SELECT g AS id, g::int8 * 7919 AS big, (g % 1000)::int4 AS small, md5(g::text) AS hash,
           timestamptz '2024-01-01' + g * interval '1 second' AS at, round(g / 7.0, 3) AS amount,
           g % 2 = 0 AS flag, 'label ' || (g % 100) AS label, (g % 997) / 997.0::float8 AS score,
           date '2020-01-01' + (g % 3650) AS day
    FROM generate_series(1, ${ROWS}) g;
    ANALYZE facts;`))

  const processEnv = {
    DATABASE_URL: metadataUrl,
    TESSERA_ADMIN_EMAIL: ADMIN.email,
    TESSERA_ADMIN_PASSWORD: ADMIN.password,
    // the 5M-row run must not be cut by the default limits
    TESSERA_DEFAULT_MAX_ROWS: String(100_000_000),
    TESSERA_MAX_BYTES: String(8 * 1024 ** 3),
    // the bench starts a few dozen runs a minute as one user: no quota in the way
    TESSERA_QUOTA_USER_RUNS_PER_MINUTE: String(100_000),
  }
  // the production flags unless BENCH_WEB_NODE_FLAGS / BENCH_WORKER_NODE_FLAGS say otherwise
  // (to compare flags, or to profile with --cpu-prof)
  const flagsOf = (role: 'web' | 'worker') => process.env[`BENCH_${role.toUpperCase()}_NODE_FLAGS`]?.split(' ').filter(Boolean) ?? SERVER_NODE_FLAGS[role]
  const web = await startProcess(SERVER_ENTRIES.web, flagsOf('web'), processEnv)
  const workerFlags = flagsOf('worker')
  let worker = await startProcess(SERVER_ENTRIES.worker, workerFlags, processEnv)
  const call = apiClient(web.url)
  await call('POST', '/api/auth/login', ADMIN)
  const metadata = new pg.Client({ connectionString: metadataUrl })
  await metadata.connect()
  const figures: Record<string, number> = {}
  const perRepetition: string[] = []
  try {
    // the datasource row is written directly (as an admin's POST would), so the bench does
    // not depend on which hosts a datasource may point at
    process.env.DATABASE_URL = metadataUrl
    process.env.TESSERA_SECRET_KEY = SECRET_KEY
    const { encryptSecret } = await import('../server/connectors/secrets')
    const source = new URL(sourceUrl)
    const { rows: [org] } = await metadata.query(`SELECT m.org_id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = $1`, [ADMIN.email])
    const { rows: [datasource] } = await metadata.query(
      // the bench's own throwaway server, reached as its superuser: allowed explicitly
      `INSERT INTO datasources (org_id, name, type, config, encrypted_password, max_concurrent_runs, allow_privileged_role) VALUES ($1, 'bench', 'postgres', $2, $3, 4, true) RETURNING id`,
      [org.org_id, { host: source.hostname, port: Number(source.port), database: 'tessera_bench_source', user: source.username, sslmode: 'disable' }, encryptSecret(decodeURIComponent(source.password))],
    )
    const saveQuery = (name: string, sql: string, parameters: unknown[] = []) =>
      call<{ id: string }>('POST', '/api/queries', { name, datasourceId: datasource.id, sql, parameters, options: { timeoutMs: 3_600_000 } })
    const plainQuery = await saveQuery('facts', 'SELECT * FROM facts')
    const paramsQuery = await saveQuery('facts with parameters', 'SELECT * FROM facts WHERE id > {{min_id}} AND label <> {{label}}', [
      { name: 'min_id', type: 'integer', required: true }, { name: 'label', type: 'text', required: true },
    ])
    const bigQuery = await saveQuery('facts × 5', `SELECT facts.* FROM facts, generate_series(1, ${BIG_ROWS_FACTOR})`)
    const smallQuery = await saveQuery('one', 'SELECT 1 AS one')

    /** POSTs a run of a saved query and waits until it succeeded (polling the runs table). */
    async function run(queryId: string, params: Record<string, unknown> = {}) {
      const posted = await call<{ id: string }>('POST', `/api/queries/${queryId}/runs`, { params, maxAgeSeconds: 0 })
      for (;;) {
        const { rows: [row] } = await metadata.query('SELECT status, error, row_count, timings, extract(epoch FROM started_at - queued_at) * 1000 AS queued_ms FROM runs WHERE id = $1', [posted.id])
        if (!['queued', 'running'].includes(row.status)) {
          if (row.status !== 'succeeded') throw new Error(`run ${posted.id} ${row.status}: ${row.error}`)
          return { runId: posted.id, rowCount: Number(row.row_count), queuedMs: Number(row.queued_ms), timings: row.timings }
        }
        await sleep(5)
      }
    }
    const psqlCopy = (sql: string) => timed(async () => {
      execFileSync('/usr/bin/psql', ['-X', '-q', '-d', sourceUrl, '-c', `\\copy (${sql}) to '${join(tmpdir(), 'tessera-bench-copy.tsv')}'`])
    })

    await run(smallQuery.id) // warm-up

    const ratiosPlain: number[] = []
    const ratiosParams: number[] = []
    const timesPlain: number[] = []
    const timesParams: number[] = []
    let storedRun = ''
    for (let repetition = 0; repetition < REPETITIONS; repetition++) {
      const copyPlain = await psqlCopy('SELECT * FROM facts')
      const tesseraPlain = await timed(async () => {
        const stored = await run(plainQuery.id)
        if (stored.rowCount !== ROWS) throw new Error(`expected ${ROWS} rows, got ${stored.rowCount}`)
        storedRun = stored.runId
      })
      const copyParams = await psqlCopy(`SELECT * FROM facts WHERE id > 0 AND label <> 'none'`)
      const tesseraParams = await timed(() => run(paramsQuery.id, { min_id: 0, label: 'none' }))
      ratiosPlain.push(tesseraPlain / copyPlain)
      ratiosParams.push(tesseraParams / copyParams)
      timesPlain.push(tesseraPlain, copyPlain)
      timesParams.push(tesseraParams, copyParams)
      const line = `repetition ${repetition + 1}: Tessera ${seconds(tesseraPlain)} vs psql ${seconds(copyPlain)} (${(tesseraPlain / copyPlain).toFixed(2)}×); with parameters ${seconds(tesseraParams)} vs ${seconds(copyParams)} (${(tesseraParams / copyParams).toFixed(2)}×)`
      perRepetition.push(line)
      console.log(`  ${line}`)
    }
    figures.ratioPlain = median(ratiosPlain)
    figures.ratioParams = median(ratiosParams)
    figures.tesseraRunMs = median(timesPlain.filter((_, index) => index % 2 === 0))
    figures.psqlCopyMs = median(timesPlain.filter((_, index) => index % 2 === 1))
    figures.tesseraRunParamsMs = median(timesParams.filter((_, index) => index % 2 === 0))
    figures.psqlCopyParamsMs = median(timesParams.filter((_, index) => index % 2 === 1))

    // pages over HTTP, as the results grid reads them: random offsets anywhere in the result
    const pageMs: number[] = []
    for (let read = 0; read < PAGE_SAMPLES; read++) {
      const offset = Math.floor(Math.random() * (ROWS - PAGE_ROWS))
      const started = performance.now()
      const page = await call<{ rows: unknown[][] }>('GET', `/api/runs/${storedRun}/result?offset=${offset}&limit=${PAGE_ROWS}`)
      pageMs.push(performance.now() - started)
      if (page.rows.length !== PAGE_ROWS) throw new Error(`short page at ${offset}: ${page.rows.length} rows`)
    }
    figures.pageP50Ms = percentile(pageMs, 0.5)
    figures.pageP99Ms = percentile(pageMs, 0.99)
    // a scroll: consecutive pages from a random start (the opened chunk serves the next pages)
    const scrollMs: number[] = []
    const scrollStart = Math.floor(Math.random() * (ROWS / 2))
    for (let page = 0; page < 200; page++) {
      scrollMs.push(await timed(() => call('GET', `/api/runs/${storedRun}/result?offset=${scrollStart + page * PAGE_ROWS}&limit=${PAGE_ROWS}`)))
    }
    figures.scrollP50Ms = percentile(scrollMs, 0.5)
    figures.scrollP99Ms = percentile(scrollMs, 0.99)

    // cached answers: the same parameterless run again, within its max age
    const cachedMs: number[] = []
    for (let request = 0; request < CACHED_SAMPLES; request++) {
      const started = performance.now()
      const answer = await call<{ id: string, cached: boolean }>('POST', `/api/queries/${plainQuery.id}/runs`, {})
      cachedMs.push(performance.now() - started)
      if (!answer.cached) throw new Error('expected a cached answer')
    }
    figures.cachedP50Ms = percentile(cachedMs, 0.5)
    figures.cachedP99Ms = percentile(cachedMs, 0.99)

    const queuedMs: number[] = []
    for (let attempt = 0; attempt < 20; attempt++) {
      queuedMs.push((await run(smallQuery.id)).queuedMs)
      await sleep(20)
    }
    figures.enqueueToRunningP50Ms = percentile(queuedMs, 0.5)

    // one value of 25, 50, 100 MB (cut to the value cap when stored): time grows with the size, not its square
    for (const megabytes of LARGE_VALUE_MB) {
      const query = await saveQuery(`${megabytes} MB value`, `SELECT repeat('x', ${megabytes * 1_000_000}) AS huge`)
      const times: number[] = []
      for (let repetition = 0; repetition < REPETITIONS; repetition++) times.push(await timed(() => run(query.id)))
      figures[`largeValue${megabytes}Ms`] = median(times)
    }

    // a fresh worker, so its peak RSS is the 5M-row run's
    await stopProcess(worker.child)
    worker = await startProcess(SERVER_ENTRIES.worker, workerFlags, processEnv)
    await run(smallQuery.id)
    await sleep(2_000)
    const idle = await memoryMb(worker.child.pid!)
    figures.workerIdleRssMb = idle.rss
    figures.workerStartPeakMb = idle.peak
    const bigRun = await run(bigQuery.id)
    figures.bigRunRows = bigRun.rowCount
    figures.bigRunMs = Number(bigRun.timings.executingMs ?? 0) + Number(bigRun.timings.storingMs ?? 0)
    figures.workerPeakRssMb = (await memoryMb(worker.child.pid!)).peak
    const { rows: [sizes] } = await metadata.query(`SELECT res.byte_count::float8 AS stored, ru.byte_count::float8 AS text FROM results res JOIN runs ru ON ru.id = res.run_id WHERE res.run_id = $1`, [bigRun.runId])
    figures.compressionRatio = Number(sizes.text) / Number(sizes.stored)
  }
  finally {
    await metadata.end()
    await stopProcess(worker.child)
    await stopProcess(web.child)
  }
  const serverVersion = await withClient(serverUrl, async client => (await client.query('SHOW server_version')).rows[0].server_version as string)
  await stopPostgres()
  await report(figures, perRepetition, serverVersion, workerFlags)
}

interface Row { measure: string, figure: string, target: string, met: boolean }

async function report(figures: Record<string, number>, perRepetition: string[], serverVersion: string, workerFlags: string[]) {
  const value = (key: string) => figures[key]!
  const ms = (key: string) => `${value(key).toFixed(1)} ms`
  const doublings = [value('largeValue50Ms') / value('largeValue25Ms'), value('largeValue100Ms') / value('largeValue50Ms')]
  const rows: Row[] = [
    { measure: `run of ${ROWS.toLocaleString()} rows × 10 columns, POST → succeeded, vs psql \\copy`, figure: `**${value('ratioPlain').toFixed(2)}×** (${seconds(value('tesseraRunMs'))} vs ${seconds(value('psqlCopyMs'))})`, target: '≤ 1.25×', met: value('ratioPlain') <= 1.25 },
    { measure: 'same, with bound parameters ($1, $2)', figure: `**${value('ratioParams').toFixed(2)}×** (${seconds(value('tesseraRunParamsMs'))} vs ${seconds(value('psqlCopyParamsMs'))})`, target: '≤ 1.5×', met: value('ratioParams') <= 1.5 },
    { measure: 'worker RSS, idle (after one small run)', figure: `${value('workerIdleRssMb').toFixed(0)} MB (start-up peak ${value('workerStartPeakMb').toFixed(0)} MB)`, target: '≤ 100 MB', met: value('workerIdleRssMb') <= 100 },
    { measure: `worker peak RSS (VmHWM) storing ${value('bigRunRows').toLocaleString()} rows (${seconds(value('bigRunMs'))})`, figure: `${value('workerPeakRssMb').toFixed(0)} MB`, target: '≤ 200 MB', met: value('workerPeakRssMb') <= 200 },
    { measure: `1,000-row page at a random offset, over HTTP (n=${PAGE_SAMPLES})`, figure: `p50 ${ms('pageP50Ms')}, p99 ${ms('pageP99Ms')}`, target: 'p50 ≤ 10 ms, p99 ≤ 40 ms', met: value('pageP50Ms') <= 10 && value('pageP99Ms') <= 40 },
    { measure: 'cached answer (same run within its max age), POST → response (n=200)', figure: `p50 ${ms('cachedP50Ms')}, p99 ${ms('cachedP99Ms')}`, target: 'p50 ≤ 10 ms', met: value('cachedP50Ms') <= 10 },
    { measure: 'one 25 / 50 / 100 MB value, POST → succeeded', figure: `${seconds(value('largeValue25Ms'))} / ${seconds(value('largeValue50Ms'))} / ${seconds(value('largeValue100Ms'))} (×${doublings[0]!.toFixed(2)}, ×${doublings[1]!.toFixed(2)} per doubling)`, target: '≤ 2.5× per doubling', met: doublings.every(ratio => ratio <= 2.5) },
    { measure: 'enqueue → running', figure: `p50 ${ms('enqueueToRunningP50Ms')}`, target: '≤ 50 ms', met: value('enqueueToRunningP50Ms') <= 50 },
  ]
  const cpu = cpus()
  const loadAtEnd = loadavg()[0]!
  const loaded = Math.max(loadAtStart, loadAtEnd) > cpu.length
  const machine = `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 1024 ** 3).toFixed(0)} GB RAM, Node ${process.version}, PostgreSQL ${serverVersion} (embedded, same machine), ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`
  const body = `## Engine

Produced by \`npm run bench\` (bench/engine.ts) through a real web process and a real
worker process (\`${SERVER_ENTRIES.worker}\`${workerFlags.length ? `, \`${workerFlags.join(' ')}\`` : ''}). Speed ratios are
the median of ${REPETITIONS} per-repetition ratios, each repetition timing Tessera and its baseline
back to back; verdicts are computed by the bench. Stored chunks compress
${value('compressionRatio').toFixed(1)}× (COPY text bytes / stored bytes, zstd level 1).

Machine: ${machine}; 1-minute load average ${loadAtStart.toFixed(1)} at the start and ${loadAtEnd.toFixed(1)} at the end${loaded ? ` — **the machine was loaded** (more runnable processes than its ${cpu.length} cores): absolute times are inflated, the paired ratios less so` : ''}.

| measure | Tessera (baseline) | target | verdict |
|---|---|---|---|
${rows.map(row => `| ${row.measure} | ${row.figure} | ${row.target} | ${verdict(row.met)} |`).join('\n')}

Other figures of the same run: a scroll of 200 consecutive 1,000-row pages p50 ${ms('scrollP50Ms')}, p99 ${ms('scrollP99Ms')}.
Per repetition:
${perRepetition.map(line => `- ${line}`).join('\n')}`
  await writeBenchmarkSection('engine', 'bench/engine.ts', body)
  console.log(`\n${body}`)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
