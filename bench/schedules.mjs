// Benchmark: 5,000 schedules due in the same second, fired by worker processes.
// Measures, with one worker and then with two (the baseline and the target setup, in the
// same run): seconds from the due instant until every schedule has fired (its runs
// enqueued), until every one of those runs has finished, duplicate firings or runs, and
// misses: a schedule that did not fire, or whose run did not succeed (a run that failed
// refreshed nothing). Target with two workers: all within 60 s, 0 duplicates, 0 misses.
// Prints its verdicts and rewrites its section of BENCHMARKS.md; exits 1 on duplicates
// or misses.
//
//   node bench/schedules.mjs            (uses DATABASE_URL's server, or an embedded Postgres)
//   BENCH_SCHEDULES=1000 node bench/schedules.mjs
import { createCipheriv, randomBytes } from 'node:crypto'
import { loadavg } from 'node:os'
import pg from 'pg'
import { buildIfNeeded } from '../scripts/build-if-needed.mjs'
import { createDatabase } from '../scripts/create-database.mjs'
import { startPostgresServer, startTessera } from './processes.mjs'
import { machineLine, verdict, writeBenchmarkSection } from './report.mjs'

const SCHEDULES = Number(process.env.BENCH_SCHEDULES ?? 5000)
const SECRET_KEY = randomBytes(32).toString('hex')
const FIRE_TIMEOUT_MS = 180_000


// the same "v1:iv:tag:ciphertext" AES-256-GCM format as server/connectors/secrets.ts
function encryptSecret(plain) {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(SECRET_KEY, 'hex'), iv)
  const encrypted = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
  return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), encrypted.toString('base64')].join(':')
}

function startWorker(databaseUrl) {
  return startTessera('worker', { DATABASE_URL: databaseUrl, TESSERA_SECRET_KEY: SECRET_KEY })
}

async function seed(client, databaseUrl) {
  const url = new URL(databaseUrl)
  const { rows: [org] } = await client.query(`INSERT INTO orgs (name) VALUES ('Bench') RETURNING id`)
  const config = { host: url.hostname, port: Number(url.port), database: url.pathname.slice(1), user: decodeURIComponent(url.username), sslmode: 'disable' }
  const { rows: [datasource] } = await client.query(
    // the bench's own throwaway server, reached as its superuser: allowed explicitly
    `INSERT INTO datasources (org_id, name, type, config, encrypted_password, max_concurrent_runs, allow_privileged_role) VALUES ($1, 'bench', 'postgres', $2, $3, 8, true) RETURNING id`,
    [org.id, config, encryptSecret(decodeURIComponent(url.password))])
  // one query per schedule, so every firing makes its own run (no single-flight joins)
  await client.query(`
    WITH made AS (
      INSERT INTO queries (org_id, datasource_id, name, sql)
      SELECT $1, $2, 'bench ' || n, 'SELECT ' || n || ' AS n' FROM generate_series(1, $3) AS n
      RETURNING id
    )
    INSERT INTO schedules (org_id, query_id, cron, timezone, next_fire_at)
    SELECT $1, id, '0 3 * * *', 'UTC', now() + interval '1 day' FROM made`, [org.id, datasource.id, SCHEDULES])
}

async function round(serverUrl, workerCount) {
  const databaseUrl = await createDatabase(serverUrl, `bench_schedules_${workerCount}_${Date.now()}`)

  const workers = []
  const client = new pg.Client({ connectionString: databaseUrl })
  try {
    // the first worker migrates the empty database at start-up
    workers.push(await startWorker(databaseUrl))
    await client.connect()
    await seed(client, databaseUrl)
    while (workers.length < workerCount) workers.push(await startWorker(databaseUrl))
    return await fireAndCount(client, workerCount)
  }
  finally {
    await client.end().catch(() => {})
    await Promise.all(workers.map(worker => worker.stop()))
  }
}

/** Makes every schedule due in three seconds and counts what the workers do with them. */
async function fireAndCount(client, workerCount) {
  const dueAt = new Date(Math.ceil((Date.now() + 3000) / 1000) * 1000)
  await client.query('UPDATE schedules SET next_fire_at = $1', [dueAt])
  let firedAt = null
  const deadline = dueAt.getTime() + FIRE_TIMEOUT_MS
  while (Date.now() < deadline) {
    const { rows: [{ fired }] } = await client.query(
      `SELECT count(*)::int AS fired FROM schedule_firings WHERE due_at = $1 AND status <> 'pending'`, [dueAt])
    if (fired >= SCHEDULES) {
      firedAt = Date.now()
      break
    }
    await new Promise(done => setTimeout(done, 100))
  }
  // then until every run those firings made has finished (the refresh a schedule exists for)
  let finishedAt = null
  while (firedAt && Date.now() < deadline) {
    const { rows: [{ open }] } = await client.query(
      `SELECT count(*)::int AS open FROM runs WHERE trigger = 'schedule' AND status IN ('queued', 'running')`)
    if (open === 0) {
      finishedAt = Date.now()
      break
    }
    await new Promise(done => setTimeout(done, 100))
  }
  // give every worker a few more ticks to make a duplicate, if it could
  await new Promise(done => setTimeout(done, 6000))
  const { rows: [counts] } = await client.query(`
    SELECT
      (SELECT count(*)::int FROM schedule_firings) AS firings,
      (SELECT count(DISTINCT schedule_id)::int FROM schedule_firings WHERE due_at = $1) AS fired_schedules,
      (SELECT count(*)::int FROM runs WHERE trigger = 'schedule') AS runs,
      (SELECT count(DISTINCT schedule_id)::int FROM runs WHERE trigger = 'schedule') AS run_schedules,
      (SELECT count(*)::int FROM runs WHERE trigger = 'schedule' AND status <> 'succeeded') AS unsucceeded_runs,
      (SELECT count(DISTINCT schedule_id)::int FROM runs WHERE trigger = 'schedule' AND status = 'succeeded') AS refreshed_schedules,
      (SELECT current_setting('server_version')) AS postgres_version`, [dueAt])
  return {
    workers: workerCount,
    seconds: firedAt ? (firedAt - dueAt.getTime()) / 1000 : null,
    runsSeconds: finishedAt ? (finishedAt - dueAt.getTime()) / 1000 : null,
    duplicates: (counts.firings - counts.fired_schedules) + (counts.runs - counts.run_schedules),
    // not fired, or fired into a run that failed (or never finished): nothing was refreshed
    misses: SCHEDULES - counts.refreshed_schedules,
    unfired: SCHEDULES - counts.fired_schedules,
    unsucceededRuns: counts.unsucceeded_runs,
    postgresVersion: counts.postgres_version,
  }
}

function report(one, two, loadAtStart) {
  const seconds = value => (value === null ? 'not all' : `${value.toFixed(1)} s`)
  const met = two.seconds !== null && two.seconds <= 60 && two.duplicates === 0 && two.misses === 0
  const line = (result, label, extra = '') => `| ${label} | ${seconds(result.seconds)}${extra} | ${seconds(result.runsSeconds)} | ${result.duplicates} | ${result.misses} (${result.unfired} not fired, ${result.unsucceededRuns} runs not succeeded) |`
  const ratio = one.seconds && two.seconds ? ` (${(two.seconds / one.seconds).toFixed(2)}× the one-worker time)` : ''
  const body = `## Schedules

Produced by \`node bench/schedules.mjs\` (also run by \`npm run bench\`): ${SCHEDULES.toLocaleString('en-US')} query schedules made due at
the same second, fired by real worker processes through the real enqueue (each firing
creates a run, and the same workers execute those runs while firing). Baseline, same
run: one worker process. Target setup: two. A miss is a schedule that did not fire or
whose run did not succeed. Verdict computed by the bench.

${machineLine(loadAtStart, two.postgresVersion)}

| ${SCHEDULES.toLocaleString('en-US')} schedules due in the same second | all fired after | all their runs finished after | duplicates | misses |
|---|---|---|---|---|
${line(one, '1 worker (baseline)')}
${line(two, '2 workers', ratio)}

Target with two workers: all fired within 60 s, 0 duplicates, 0 misses: ${verdict(met)}.
`
  return { body, correct: two.duplicates === 0 && two.misses === 0 }
}

async function main() {
  const loadAtStart = loadavg()[0]
  const postgres = await startPostgresServer()
  try {
    buildIfNeeded()
    const one = await round(postgres.serverUrl, 1)
    const two = await round(postgres.serverUrl, 2)
    const { body, correct } = report(one, two, loadAtStart)
    console.log(`\n${body}`)
    await writeBenchmarkSection('schedules', 'bench/schedules.mjs', body)
    process.exitCode = correct ? 0 : 1
  }
  finally {
    await postgres.stop()
  }
}

await main()
