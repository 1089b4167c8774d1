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
  /** Resolves once the process has printed text; throws when it exits or timeoutMs passes first. */
  waitForOutput: (text: string, timeoutMs?: number) => Promise<void>
  stop: (signal?: NodeJS.Signals) => Promise<number | null>
}

export async function startApp(env: Record<string, string>, startTimeoutMs = 60_000): Promise<RunningApp> {
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
  const stop = (signal: NodeJS.Signals = 'SIGTERM') => new Promise<number | null>((done) => {
    // a process ended by a signal has signalCode set and exitCode null
    if (child.exitCode !== null || child.signalCode !== null) return done(child.exitCode)
    child.once('exit', code => done(code))
    child.kill(signal)
  })
  try {
    await waitUntilHealthy(url, child, () => output, startTimeoutMs)
  }
  catch (error) {
    await stop('SIGKILL')
    throw error
  }
  const waitForOutput = async (text: string, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs
    while (!output.includes(text)) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`app exited (${child.exitCode ?? child.signalCode}) before printing "${text}":\n${output}`)
      if (Date.now() > deadline) throw new Error(`app did not print "${text}" within ${timeoutMs} ms:\n${output}`)
      await new Promise(done => setTimeout(done, 50))
    }
  }
  return { url, process: child, output: () => output, waitForOutput, stop }
}

/** Polls /api/healthz until it answers 200; throws if the process exits or the deadline passes first. */
async function waitUntilHealthy(url: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let last = 'no answer'
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`app exited (${child.exitCode ?? child.signalCode}) before answering ${url}/api/healthz:\n${output()}`)
    try {
      const response = await fetch(`${url}/api/healthz`)
      if (response.ok) return
      last = `HTTP ${response.status}`
    }
    catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error(`app at ${url} not healthy within ${timeoutMs} ms (last: ${last}):\n${output()}`)
    await new Promise(done => setTimeout(done, 100))
  }
}

/** A worker's environment in which a dead worker is noticed after 3 s of silence, looked for every second. */
export function fastFailoverWorkerEnv(databaseUrl: string): Record<string, string> {
  return { DATABASE_URL: databaseUrl, APP_ROLE: 'worker', TESSERA_HEARTBEAT_SECONDS: '1', TESSERA_HEARTBEAT_TIMEOUT_SECONDS: '3' }
}

/** Starts such a worker and keeps it in `started`, so the test can stop every worker it made. */
export async function startFastFailoverWorker(databaseUrl: string, started: RunningApp[], env: Record<string, string> = {}): Promise<RunningApp> {
  const worker = await startApp({ ...fastFailoverWorkerEnv(databaseUrl), ...env })
  started.push(worker)
  return worker
}
