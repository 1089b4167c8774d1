// Benchmark: 5,000 schedules due in the same second, fired by worker processes.
// Measures, with one worker and then with two (the baseline and the target setup, in the
// same run): seconds from the due instant until every schedule has fired (its runs
// enqueued), until every one of those runs has finished, duplicate firings or runs, and
// missed schedules. Target with two workers:
// all within 60 s, 0 duplicates, 0 misses.
//
//   node bench/schedules.mjs            (uses DATABASE_URL's server, or an embedded Postgres)
//   BENCH_SCHEDULES=1000 node bench/schedules.mjs
import { spawn } from 'node:child_process'
import { createCipheriv, randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { buildIfNeeded } from '../scripts/build-if-needed.mjs'
import { createDatabase } from '../scripts/create-database.mjs'
import { startEmbeddedPostgres } from '../scripts/embedded-postgres.mjs'
import { freePort } from '../scripts/free-port.mjs'
import { SERVER_NODE_FLAGS } from '../scripts/server-node-flags.mjs'

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

async function startWorker(databaseUrl) {
  const port = await freePort()
  let output = ''
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, '.output/server/index.mjs'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, APP_ROLE: 'worker', PORT: String(port), TESSERA_SECRET_KEY: SECRET_KEY },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout.on('data', (chunk) => { output += chunk })
  child.stderr.on('data', (chunk) => { output += chunk })
  const deadline = Date.now() + 60_000
  while (!output.includes('worker ready')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`worker did not start:\n${output}`)
    await new Promise(done => setTimeout(done, 100))
  }
  return {
    stop: () => new Promise((done) => {
      if (child.exitCode !== null) return done()
      child.once('exit', done)
      child.kill('SIGTERM')
    }),
  }
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

  // the first worker migrates the empty database at start-up
  const workers = [await startWorker(databaseUrl)]
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  await seed(client, databaseUrl)
  while (workers.length < workerCount) workers.push(await startWorker(databaseUrl))

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
      (SELECT count(DISTINCT schedule_id)::int FROM runs WHERE trigger = 'schedule') AS run_schedules`, [dueAt])
  await client.end()
  await Promise.all(workers.map(worker => worker.stop()))
  return {
    workers: workerCount,
    seconds: firedAt ? (firedAt - dueAt.getTime()) / 1000 : null,
    runsSeconds: finishedAt ? (finishedAt - dueAt.getTime()) / 1000 : null,
    duplicates: (counts.firings - counts.fired_schedules) + (counts.runs - counts.run_schedules),
    misses: SCHEDULES - counts.fired_schedules,
  }
}

async function main() {
  let serverUrl = process.env.DATABASE_URL
  let stopPostgres = async () => {}
  if (!serverUrl) {
    const dataDir = await mkdtemp(join(tmpdir(), 'tessera-schedules-bench-pg-'))
    const postgres = await startEmbeddedPostgres({ dataDir, port: await freePort() })
    serverUrl = postgres.urlFor('postgres')
    stopPostgres = async () => {
      await postgres.stop()
      await rm(dataDir, { recursive: true, force: true })
    }
  }
  try {
    buildIfNeeded()
    const one = await round(serverUrl, 1)
    const two = await round(serverUrl, 2)
    console.log(`\nschedules: ${SCHEDULES} due in the same second`)
    console.log('workers | all fired after (s) | all runs finished after (s) | duplicates | misses')
    for (const result of [one, two]) {
      console.log(`${String(result.workers).padStart(7)} | ${String(result.seconds ?? 'not all').padStart(19)} | ${String(result.runsSeconds ?? 'not all').padStart(27)} | ${String(result.duplicates).padStart(10)} | ${String(result.misses).padStart(6)}`)
    }
    if (one.seconds && two.seconds) console.log(`two workers / one worker time: ${(two.seconds / one.seconds).toFixed(2)}`)
    const ok = two.seconds !== null && two.seconds <= 60 && two.duplicates === 0 && two.misses === 0
    console.log(`target (two workers: all within 60 s, 0 duplicates, 0 misses): ${ok ? 'met' : 'NOT met'}`)
    process.exitCode = ok ? 0 : 1
  }
  finally {
    await stopPostgres()
  }
}

await main()
