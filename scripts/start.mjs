// `npm start`: the one command that runs Tessera on a fresh machine.
// Without DATABASE_URL it boots an embedded Postgres in TESSERA_DATA_DIR, which also
// holds the demo ops database and a generated secret key. It builds when needed,
// starts one web and one worker process, prints the URL, and on Ctrl+C stops them
// and Postgres cleanly. The embedded superuser's password is generated per install and
// kept beside the secret key; nothing but Tessera's own processes learn it.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { buildIfNeeded } from './build-if-needed.mjs'
import { startEmbeddedPostgres } from './embedded-postgres.mjs'
import { SERVER_ENTRIES, SERVER_NODE_FLAGS } from './server-node-flags.mjs'

const dataDir = resolve(process.env.TESSERA_DATA_DIR ?? '.tessera')
const port = Number(process.env.PORT ?? 3000)
const workerPort = Number(process.env.TESSERA_WORKER_PORT ?? port + 1)
const postgresPort = Number(process.env.TESSERA_POSTGRES_PORT ?? 54329)

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
  mkdirSync(dataDir, { recursive: true })
  const env = { ...process.env, TESSERA_SECRET_KEY: secretKey() }
  if (!process.env.DATABASE_URL) {
    console.log(`Starting embedded Postgres in ${dataDir}/postgres (port ${postgresPort})…`)
    const password = dataFolderSecret('postgres.password', () => randomBytes(24).toString('base64url'))
    postgres = await startEmbeddedPostgres({ dataDir: resolve(dataDir, 'postgres'), port: postgresPort, password })
    env.DATABASE_URL = await postgres.ensureDatabase('tessera', { privateToOwner: true })
    env.TESSERA_DEMO_DATABASE_URL ??= await postgres.ensureDatabase('tessera_demo')
  }
  buildIfNeeded()

  const children = []
  const launch = (role, listenPort) => {
    const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, SERVER_ENTRIES[role]], {
      env: { ...env, APP_ROLE: role, PORT: String(listenPort), NITRO_PORT: String(listenPort) },
      stdio: 'inherit',
    })
    children.push(child)
    return child
  }

  let stopping = false
  const stop = async (code = 0) => {
    if (stopping) return
    stopping = true
    console.log('\nStopping Tessera…')
    await Promise.all(children.map(child => new Promise((done) => {
      if (child.exitCode !== null) return done()
      child.once('exit', done)
      child.kill('SIGTERM')
    })))
    await postgres?.stop()
    process.exit(code)
  }
  process.on('SIGINT', () => stop())
  process.on('SIGTERM', () => stop())

  const web = launch('web', port)
  await waitForHealth(`http://127.0.0.1:${port}/api/healthz`, web)
  const worker = launch('worker', workerPort)
  await waitForHealth(`http://127.0.0.1:${workerPort}/api/healthz`, worker)
  for (const child of children) child.on('exit', () => stop(1))

  console.log(`\n  Tessera is running at http://localhost:${port}\n  Data folder: ${dataDir}\n  Press Ctrl+C to stop.\n`)
}

main().catch(async (error) => {
  console.error(`Tessera failed to start: ${error.message}`)
  await postgres?.stop().catch(() => {})
  process.exit(1)
})
