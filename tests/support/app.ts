// Starts the built Tessera server (.output) as a real process for HTTP tests,
// web or worker role, against a given database.
import { spawn, type ChildProcess } from 'node:child_process'
import { TEST_SECRET_KEY } from './database'
import { freePort } from '../../scripts/free-port.mjs'
import { SERVER_ENTRIES } from '../../scripts/server-node-flags.mjs'

export interface RunningApp {
  url: string
  process: ChildProcess
  output: () => string
  stop: (signal?: NodeJS.Signals) => Promise<number | null>
}

export async function startApp(env: Record<string, string>): Promise<RunningApp> {
  const port = await freePort()
  let output = ''
  // a worker starts with its own entry, as in production
  const entry = env.APP_ROLE === 'worker' ? SERVER_ENTRIES.worker : SERVER_ENTRIES.web
  const child = spawn(process.execPath, [entry], {
    env: { ...process.env, PORT: String(port), NITRO_PORT: String(port), TESSERA_LOGIN_WINDOW_SECONDS: '900', TESSERA_SECRET_KEY: TEST_SECRET_KEY, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout!.on('data', (chunk) => { output += chunk })
  child.stderr!.on('data', (chunk) => { output += chunk })
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`app exited (${child.exitCode}):\n${output}`)
    try {
      if ((await fetch(`${url}/api/healthz`)).ok) break
    }
    catch { /* not listening yet */ }
    await new Promise(done => setTimeout(done, 100))
  }
  const stop = (signal: NodeJS.Signals = 'SIGTERM') => new Promise<number | null>((done) => {
    // a process ended by a signal has signalCode set and exitCode null
    if (child.exitCode !== null || child.signalCode !== null) return done(child.exitCode)
    child.once('exit', code => done(code))
    child.kill(signal)
  })
  return { url, process: child, output: () => output, stop }
}
