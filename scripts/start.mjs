// `npm start`: the one command that runs Tessera on a fresh machine.
// Without DATABASE_URL it boots an embedded Postgres in TESSERA_DATA_DIR, which also
// holds the demo ops database and a generated secret key. It builds when needed,
// starts one web and one worker process (restarted with backoff if they die), prints
// the URL, and on Ctrl+C stops them and Postgres within STOP_WITHIN_MS. Ports are checked
// first: a taken one is named with its setting, and nothing is started. The embedded
// superuser's password is generated per install and kept beside the secret key; nothing
// but Tessera's own processes learn it.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { buildIfNeeded } from './build-if-needed.mjs'
import { startEmbeddedPostgres } from './embedded-postgres.mjs'
import { portsInUse } from './ports-free.mjs'
import { SERVER_ENTRIES, SERVER_NODE_FLAGS } from './server-node-flags.mjs'
import { supervise } from './supervise.mjs'

const dataDir = resolve(process.env.TESSERA_DATA_DIR ?? '.tessera')
const port = Number(process.env.PORT ?? 3000)
const workerPort = Number(process.env.TESSERA_WORKER_PORT ?? port + 1)
const postgresPort = Number(process.env.TESSERA_POSTGRES_PORT ?? 54329)
// Ctrl+C stops everything within this long: children get SIGTERM, SIGKILL after CHILD_KILL_AFTER_MS
const STOP_WITHIN_MS = 10_000
const CHILD_KILL_AFTER_MS = 6_000

/** A secret kept in the data folder (owner-only), generated on first use. */
function dataFolderSecret(fileName, generate) {
  const file = resolve(dataDir, fileName)
  if (!existsSync(file)) writeFileSync(file, generate(), { mode: 0o600 })
  return readFileSync(file, 'utf8').trim()
}

function secretKey() {
  return process.env.TESSERA_SECRET_KEY ?? dataFolderSecret('secret.key', () => randomBytes(32).toString('hex'))
}

async function waitForHealth(url, child) {
  for (let attempt = 0; attempt < 600; attempt++) {
    if (child.exitCode !== null) throw new Error(`process exited with code ${child.exitCode} before it was healthy`)
    try {
      if ((await fetch(url)).ok) return
    }
    catch { /* not listening yet */ }
    await new Promise(done => setTimeout(done, 200))
  }
  throw new Error(`${url} did not become healthy within two minutes`)
}

let postgres

async function main() {
  const taken = await portsInUse([
    { port, what: 'web server', setting: 'PORT' },
    { port: workerPort, what: 'worker health check', setting: 'TESSERA_WORKER_PORT' },
    ...(process.env.DATABASE_URL ? [] : [{ port: postgresPort, what: 'embedded Postgres', setting: 'TESSERA_POSTGRES_PORT', host: '127.0.0.1' }]),
  ])
  if (taken.length) {
    console.error(`Tessera cannot start:\n  ${taken.join('\n  ')}`)
    process.exit(1)
  }
  mkdirSync(dataDir, { recursive: true })
  // Ctrl+C must stop the worker within seconds: runs still going after this grace are handed
  // back to the queue and run again on the next start
  const env = { ...process.env, TESSERA_SECRET_KEY: secretKey(), TESSERA_SHUTDOWN_GRACE_SECONDS: process.env.TESSERA_SHUTDOWN_GRACE_SECONDS ?? '3' }
  if (!process.env.DATABASE_URL) {
    console.log(`Starting embedded Postgres in ${dataDir}/postgres (port ${postgresPort})…`)
    const password = dataFolderSecret('postgres.password', () => randomBytes(24).toString('base64url'))
    postgres = await startEmbeddedPostgres({ dataDir: resolve(dataDir, 'postgres'), port: postgresPort, password })
    env.DATABASE_URL = await postgres.ensureDatabase('tessera', { privateToOwner: true })
    env.TESSERA_DEMO_DATABASE_URL ??= await postgres.ensureDatabase('tessera_demo')
  }
  buildIfNeeded()

  const supervised = []
  const launch = (role, listenPort) => {
    const supervisedChild = supervise({
      name: role,
      launch: () => spawn(process.execPath, [...SERVER_NODE_FLAGS[role], SERVER_ENTRIES[role]], {
        env: { ...env, APP_ROLE: role, PORT: String(listenPort), NITRO_PORT: String(listenPort) },
        stdio: 'inherit',
      }),
    })
    supervised.push(supervisedChild)
    return supervisedChild
  }

  let stopping = false
  const stop = async (code = 0) => {
    if (stopping) return
    stopping = true
    console.log('\nStopping Tessera…')
    // whatever hangs, the command ends in time
    setTimeout(() => {
      console.error('Tessera did not stop in time; exiting anyway')
      process.exit(1)
    }, STOP_WITHIN_MS).unref()
    await Promise.all(supervised.map(child => child.stop(CHILD_KILL_AFTER_MS)))
    await postgres?.stop().catch(error => console.error(`Postgres did not stop cleanly: ${error?.message ?? error}`))
    process.exit(code)
  }
  process.on('SIGINT', () => stop())
  process.on('SIGTERM', () => stop())
  stopOnFailure = () => stop(1)

  const web = launch('web', port)
  await waitForHealth(`http://127.0.0.1:${port}/api/healthz`, web.child)
  const worker = launch('worker', workerPort)
  await waitForHealth(`http://127.0.0.1:${workerPort}/api/healthz`, worker.child)

  console.log(`\n  Tessera is running at http://localhost:${port}\n  Data folder: ${dataDir}\n  Press Ctrl+C to stop.\n`)
}

// set once children exist: a failed start stops them too
let stopOnFailure

main().catch(async (error) => {
  console.error(`Tessera failed to start: ${error?.message ?? error ?? 'unknown error'}`)
  if (stopOnFailure) return stopOnFailure()
  await postgres?.stop().catch(() => {})
  process.exit(1)
})
