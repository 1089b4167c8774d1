// The execution engine benchmark (npm run bench). Every figure is a median of several
// repetitions, and each speed is compared with a baseline measured in the same run:
//   - end-to-end run (enqueue → succeeded, through a real worker process) vs psql \copy
//     of the same query to a file, without and with bound parameters;
//   - the same run vs a naive store (fetch all rows, JSON.stringify, one text insert);
//   - the worker's peak RSS (VmHWM) while storing 5M rows;
//   - p50/p99 of a 1,000-row page read at offset 500,000;
//   - enqueue → running p50 (runs.started_at − runs.queued_at, the database's clock).
// Results and machine facts go to BENCHMARKS.md.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { PgBoss } from 'pg-boss'
import { buildIfNeeded } from '../scripts/build-if-needed.mjs'
import { startEmbeddedPostgres } from '../scripts/embedded-postgres.mjs'
import { freePort } from '../scripts/free-port.mjs'
import { SERVER_NODE_FLAGS } from '../scripts/server-node-flags.mjs'
import { median, percentile } from './statistics.mjs'

const SECRET_KEY = 'ab'.repeat(32)
const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)
const BIG_ROWS_FACTOR = 5
const PAGE_OFFSET = Math.min(500_000, Math.floor(ROWS / 2))
const REPETITIONS = Number(process.env.BENCH_REPETITIONS ?? 3)


const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`

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

async function startWorker(databaseUrl: string): Promise<ChildProcess> {
  const port = await freePort()
  // the production flags unless BENCH_WORKER_NODE_FLAGS says otherwise (to compare)
  const flags = process.env.BENCH_WORKER_NODE_FLAGS?.split(' ').filter(Boolean) ?? SERVER_NODE_FLAGS
  const child = spawn(process.execPath, [...flags, '.output/server/index.mjs'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, APP_ROLE: 'worker', PORT: String(port), NITRO_PORT: String(port), TESSERA_SECRET_KEY: SECRET_KEY },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise<void>((resolve, reject) => {
    let output = ''
    child.stdout!.on('data', (chunk) => {
      output += chunk
      if (output.includes('worker ready')) resolve()
    })
    child.once('exit', code => reject(new Error(`worker exited (${code}): ${output}`)))
  })
  child.stdout!.resume()
  return child
}

async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return
  await new Promise(done => {
    child.once('exit', done)
    child.kill('SIGTERM')
  })
}

async function peakRssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024
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
  process.env.DATABASE_URL = metadataUrl
  process.env.TESSERA_SECRET_KEY = SECRET_KEY
  const { migrateDatabase } = await import('../db/migrate')
  await migrateDatabase(metadataUrl, 'db/migrations')
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

  const { encryptSecret } = await import('../server/connectors/secrets')
  const { readResultPage } = await import('../server/results/read')
  const { closeDb } = await import('../server/utils/db')
  const source = new URL(sourceUrl)
  const ids = await withClient(metadataUrl, async (client) => {
    const org = await client.query(`INSERT INTO orgs (name) VALUES ('Bench') RETURNING id`)
    const datasource = await client.query(
      // the bench's own throwaway server, reached as its superuser: allowed explicitly
      `INSERT INTO datasources (org_id, name, type, config, encrypted_password, max_concurrent_runs, allow_privileged_role) VALUES ($1, 'bench', 'postgres', $2, $3, 4, true) RETURNING id`,
      [org.rows[0].id, { host: source.hostname, port: Number(source.port), database: 'tessera_bench_source', user: source.username, sslmode: 'disable' }, encryptSecret(decodeURIComponent(source.password))],
    )
    await client.query('CREATE TABLE naive_results (run_id uuid, data text)')
    return { orgId: org.rows[0].id as string, datasourceId: datasource.rows[0].id as string }
  })

  const boss = new PgBoss({ connectionString: metadataUrl, supervise: false, schedule: false })
  await boss.start()
  const metadata = new pg.Client({ connectionString: metadataUrl })
  await metadata.connect()

  /** Inserts a run row and sends its job (what the web's enqueue does); resolves when it finished. */
  async function runThroughWorker(sql: string, bindValues: unknown[] = []) {
    const { rows } = await metadata.query(
      `INSERT INTO runs (org_id, datasource_id, sql, bind_values, limits, cache_key, trigger) VALUES ($1, $2, $3, $4, $5, md5(random()::text), 'api') RETURNING id`,
      [ids.orgId, ids.datasourceId, sql, JSON.stringify(bindValues), { timeoutMs: 3_600_000, maxRows: 100_000_000, maxBytes: 8 * 1024 ** 3 }],
    )
    const runId = rows[0].id as string
    await boss.send('run-query', { runId })
    for (;;) {
      const { rows: [run] } = await metadata.query('SELECT status, error, row_count, timings, extract(epoch FROM started_at - queued_at) * 1000 AS queued_ms FROM runs WHERE id = $1', [runId])
      if (!['queued', 'running'].includes(run.status)) {
        if (run.status !== 'succeeded') throw new Error(`run ${runId} ${run.status}: ${run.error}`)
        return { runId, rowCount: Number(run.row_count), queuedMs: Number(run.queued_ms), timings: run.timings }
      }
      await new Promise(done => setTimeout(done, 5))
    }
  }

  const psqlCopy = (sql: string) => timed(async () => {
    execFileSync('/usr/bin/psql', ['-X', '-q', '-d', sourceUrl, '-c', `\\copy (${sql}) to '${join(tmpdir(), 'tessera-bench-copy.tsv')}'`])
  })

  const naiveStore = (sql: string) => timed(async () => {
    await withClient(sourceUrl, async (client) => {
      const { rows } = await client.query(sql)
      const text = JSON.stringify(rows)
      await metadata.query('INSERT INTO naive_results (run_id, data) VALUES (gen_random_uuid(), $1)', [text])
    })
  })

  let worker = await startWorker(metadataUrl)
  const figures: Record<string, number | string> = {}
  try {
    const plainSql = 'SELECT * FROM facts'
    await runThroughWorker('SELECT 1') // warm-up

    const copyPlain: number[] = []
    const copyParams: number[] = []
    const tesseraPlain: number[] = []
    const tesseraParams: number[] = []
    const naive: number[] = []
    let storedRun = ''
    for (let repetition = 0; repetition < REPETITIONS; repetition++) {
      copyPlain.push(await psqlCopy(plainSql))
      tesseraPlain.push(await timed(async () => {
        const run = await runThroughWorker(plainSql)
        if (run.rowCount !== ROWS) throw new Error(`expected ${ROWS} rows, got ${run.rowCount}`)
        storedRun = run.runId
        console.log('  tessera timings', run.timings)
      }))
      copyParams.push(await psqlCopy(`SELECT * FROM facts WHERE id > 0 AND label <> 'none'`))
      tesseraParams.push(await timed(() => runThroughWorker('SELECT * FROM facts WHERE id > $1 AND label <> $2', [0, 'none'])))
      naive.push(await naiveStore(plainSql))
      await metadata.query('TRUNCATE naive_results')
      console.log(`  repetition ${repetition + 1}: psql ${seconds(copyPlain.at(-1)!)}, tessera ${seconds(tesseraPlain.at(-1)!)}, psql (params) ${seconds(copyParams.at(-1)!)}, tessera (params) ${seconds(tesseraParams.at(-1)!)}, naive ${seconds(naive.at(-1)!)}`)
    }
    figures.psqlCopyMs = median(copyPlain)
    figures.tesseraRunMs = median(tesseraPlain)
    figures.psqlCopyParamsMs = median(copyParams)
    figures.tesseraRunParamsMs = median(tesseraParams)
    figures.naiveMs = median(naive)

    // page reads from the last stored 1M-row result, in this process (as the web would)
    const pageMs: number[] = []
    for (let read = 0; read < 60; read++) {
      const started = performance.now()
      const page = await readResultPage(ids.orgId, storedRun, PAGE_OFFSET, 1_000)
      pageMs.push(performance.now() - started)
      if (page!.rows.length !== 1_000) throw new Error('short page')
    }
    figures.pageP50Ms = percentile(pageMs.slice(10), 0.5)
    figures.pageP99Ms = percentile(pageMs.slice(10), 0.99)

    const queuedMs: number[] = []
    for (let run = 0; run < 30; run++) {
      queuedMs.push((await runThroughWorker('SELECT 1')).queuedMs)
      await new Promise(done => setTimeout(done, 20))
    }
    figures.enqueueToRunningP50Ms = percentile(queuedMs, 0.5)

    // a fresh worker, so its peak RSS is the 5M-row run's
    await stopWorker(worker)
    worker = await startWorker(metadataUrl)
    await runThroughWorker('SELECT 1')
    figures.workerIdleRssMb = await peakRssMb(worker.pid!)
    const bigRun = await runThroughWorker(`SELECT facts.* FROM facts, generate_series(1, ${BIG_ROWS_FACTOR})`)
    figures.bigRunRows = bigRun.rowCount
    figures.bigRunMs = Number(bigRun.timings.executingMs ?? 0) + Number(bigRun.timings.storingMs ?? 0)
    figures.workerPeakRssMb = await peakRssMb(worker.pid!)
    const { rows: [sizes] } = await metadata.query(`SELECT sum(byte_count)::float8 AS stored FROM results WHERE run_id = $1`, [bigRun.runId])
    const { rows: [jsonBytes] } = await metadata.query(`SELECT byte_count::float8 AS bytes FROM runs WHERE id = $1`, [bigRun.runId])
    figures.compressionRatio = Number(jsonBytes.bytes) / Number(sizes.stored)
  }
  finally {
    await stopWorker(worker)
    await metadata.end()
    await boss.stop({ graceful: false })
    await closeDb()
  }
  const serverVersion = await withClient(serverUrl, async client => (await client.query('SHOW server_version')).rows[0].server_version as string)
  await stopPostgres()
  await report(figures, serverVersion)
}

async function report(figures: Record<string, number | string>, serverVersion: string) {
  const value = (key: string) => Number(figures[key])
  const ratioPlain = value('tesseraRunMs') / value('psqlCopyMs')
  const ratioParams = value('tesseraRunParamsMs') / value('psqlCopyParamsMs')
  const naiveSpeedup = value('naiveMs') / value('tesseraRunMs')
  const verdict = (ok: boolean) => (ok ? 'met' : '**missed**')
  const lines = [
    `| end-to-end run, ${ROWS.toLocaleString()} rows × 10 columns, vs psql \\copy | ${seconds(value('tesseraRunMs'))} vs ${seconds(value('psqlCopyMs'))} | **${ratioPlain.toFixed(2)}×** | ≤ 1.5× | ${verdict(ratioPlain <= 1.5)} |`,
    `| same, with bound parameters ($1, $2) | ${seconds(value('tesseraRunParamsMs'))} vs ${seconds(value('psqlCopyParamsMs'))} | **${ratioParams.toFixed(2)}×** | ≤ 2.5× | ${verdict(ratioParams <= 2.5)} |`,
    `| naive store (fetch all, JSON.stringify, one insert) vs Tessera | ${seconds(value('naiveMs'))} vs ${seconds(value('tesseraRunMs'))} | **${naiveSpeedup.toFixed(2)}× faster** | ≥ 3× | ${verdict(naiveSpeedup >= 3)} |`,
    `| worker peak RSS (VmHWM) storing ${value('bigRunRows').toLocaleString()} rows (${seconds(value('bigRunMs'))}) | ${value('workerPeakRssMb').toFixed(0)} MB | (idle worker after one small run: ${value('workerIdleRssMb').toFixed(0)} MB) | ≤ 250 MB | ${verdict(value('workerPeakRssMb') <= 250)} |`,
    `| 1,000-row page at offset ${PAGE_OFFSET.toLocaleString()} | p50 ${value('pageP50Ms').toFixed(1)} ms, p99 ${value('pageP99Ms').toFixed(1)} ms | | p50 ≤ 15 ms | ${verdict(value('pageP50Ms') <= 15)} |`,
    `| enqueue → running | p50 ${value('enqueueToRunningP50Ms').toFixed(1)} ms | | ≤ 50 ms | ${verdict(value('enqueueToRunningP50Ms') <= 50)} |`,
  ]
  const cpu = cpus()
  const machine = `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 1024 ** 3).toFixed(0)} GB RAM, Node ${process.version}, PostgreSQL ${serverVersion} (embedded, same machine), ${new Date().toISOString().slice(0, 10)}; 1-minute load average ${loadAtStart.toFixed(1)} at the start and ${loadavg()[0]!.toFixed(1)} at the end`
  const markdown = `# Benchmarks

Produced by \`npm run bench\` (bench/engine.ts). Medians of ${REPETITIONS} repetitions; every ratio is
against a baseline measured in the same run on the same machine. Stored chunks compress
${value('compressionRatio').toFixed(1)}× (row text bytes / stored bytes, zstd level 1).

Machine: ${machine}.

| measure | Tessera vs baseline | ratio | target | |
|---|---|---|---|---|
${lines.join('\n')}

## Reading these figures

- The speed ratios compare a whole run (queue pickup, a read-only transaction, the rows
  streamed, one compressed chunk per 5,000 rows, chunk inserts, the results row) with psql
  writing COPY text to a file, which stores nothing. Without parameters a run streams
  \`COPY (query) TO STDOUT\` and stores the lines as they come; with parameters it reads
  through a cursor (pg parses every field of every row) and stores each row as JSON.
  \`node --import tsx bench/breakdown.ts\` splits both paths without the queue (fetch
  alone, + compression, + the store) to show where the time goes.
- The parameterized run is the one the worker's V8 flags move most: its per-field strings
  are young garbage, so a smaller young generation means more scavenges.
- Peak RSS includes the worker's own start-up peak (the idle figure in the table); storing
  adds the difference. Workers run with \`${SERVER_NODE_FLAGS.join(' ')}\`
  (scripts/server-node-flags.mjs): with Node 24's default young generation, sized from
  the machine's memory, the garbage of loading the server bundle alone peaks near 285 MB.
- On a shared machine every figure moves with the load; the ratios are taken from the same
  repetitions, so they move less than the absolute times.
`
  // this bench owns the top of BENCHMARKS.md; the sections after it (dashboards, schedules) stay
  const previous = await readFile('BENCHMARKS.md', 'utf8').catch(() => '')
  const laterSections = previous.indexOf('\n## Dashboards')
  await writeFile('BENCHMARKS.md', laterSections >= 0 ? `${markdown}${previous.slice(laterSections)}` : markdown)
  console.log(`\n${markdown}`)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
