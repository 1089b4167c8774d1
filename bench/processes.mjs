// The machinery the dashboard and schedule benchmarks run on: a Postgres server (the one
// in DATABASE_URL, or an embedded one in a throwaway folder) and built Tessera processes
// (web or worker) started on loopback ports, each ready before it is returned.
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startEmbeddedPostgres } from '../scripts/embedded-postgres.mjs'
import { freePort } from '../scripts/free-port.mjs'
import { SERVER_ENTRIES, SERVER_NODE_FLAGS } from '../scripts/server-node-flags.mjs'

const START_TIMEOUT_MS = 120_000

/** DATABASE_URL's server, or an embedded Postgres removed again by stop(). */
export async function startPostgresServer() {
  if (process.env.DATABASE_URL) return { serverUrl: process.env.DATABASE_URL, stop: async () => {} }
  const dataDir = await mkdtemp(join(tmpdir(), 'tessera-bench-pg-'))
  const postgres = await startEmbeddedPostgres({ dataDir, port: await freePort() })
  return {
    serverUrl: postgres.urlFor('postgres'),
    stop: async () => {
      await postgres.stop()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}

/**
 * Starts the built server in `role` with `env` on a free loopback port. Resolves when its
 * health check answers (and, for a worker, once it printed "worker ready"); throws when
 * it exits or START_TIMEOUT_MS passes first.
 */
export async function startTessera(role, env) {
  const port = await freePort()
  let output = ''
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS[role], SERVER_ENTRIES[role]], {
    env: { ...process.env, ...env, APP_ROLE: role, PORT: String(port), NITRO_PORT: String(port), HOST: '127.0.0.1', NITRO_HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout.on('data', (chunk) => { output += chunk })
  child.stderr.on('data', (chunk) => { output += chunk })
  const url = `http://127.0.0.1:${port}`
  const stop = () => new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done()
    child.once('exit', done)
    child.kill('SIGTERM')
  })
  const deadline = Date.now() + START_TIMEOUT_MS
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${role} exited (${child.exitCode}) while starting:\n${output}`)
    let healthy = false
    try {
      healthy = (await fetch(`${url}/api/healthz`)).ok
    }
    catch { /* not listening yet */ }
    if (healthy && (role !== 'worker' || output.includes('worker ready'))) break
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`${role} not ready within ${START_TIMEOUT_MS / 1000} s:\n${output}`)
    }
    await new Promise(done => setTimeout(done, 100))
  }
  return { url, stop, output: () => output }
}
