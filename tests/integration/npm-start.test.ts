// `npm start` as a user runs it: a supervisor that restarts a dying worker while the web
// keeps serving, a second instance on the same ports that fails with the port and its
// setting, and Ctrl+C (SIGINT to the whole process group, as a terminal sends it) that
// stops every process, Postgres included, within 10 s.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { freePort } from '../../scripts/free-port.mjs'

let dataDir: string
let ports: { web: number, worker: number, postgres: number }
let start: ChildProcess
let output = ''

function startTessera(env: Record<string, string>) {
  // no DATABASE_URL: npm start boots its own embedded Postgres, as on a fresh machine
  const { DATABASE_URL: _database, TESSERA_DEMO_DATABASE_URL: _demo, ...inherited } = process.env
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // its own process group, so a test can send SIGINT to all of it like Ctrl+C does
    detached: true,
  })
  let text = ''
  child.stdout!.on('data', (chunk) => { text += chunk })
  child.stderr!.on('data', (chunk) => { text += chunk })
  return { child, output: () => text }
}

const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null
const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  }
  catch {
    return false
  }
}

/** Pids of the processes of this process group with APP_ROLE=<role> in their environment. */
function pidsWithRole(groupId: number, role: string): number[] {
  return readdirSync('/proc').filter(entry => /^\d+$/.test(entry)).map(Number).filter((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const groupOfPid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2])
      return groupOfPid === groupId && readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`APP_ROLE=${role}`)
    }
    catch {
      return false
    }
  })
}

async function healthy(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/api/healthz`)).ok
  }
  catch {
    return false
  }
}

async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms\n${output}`)
    await new Promise(done => setTimeout(done, 100))
  }
}

/** `npm start` on the file's data folder and ports, once it says it is running. */
async function bootTessera() {
  output = ''
  const started = startTessera({ TESSERA_DATA_DIR: dataDir, PORT: String(ports.web), TESSERA_WORKER_PORT: String(ports.worker), TESSERA_POSTGRES_PORT: String(ports.postgres) })
  start = started.child
  const collect = setInterval(() => { output = started.output() }, 50)
  await waitUntil(() => started.output().includes('Tessera is running at') || exited(start), 180_000, 'npm start came up')
  clearInterval(collect)
  output = started.output()
  start.stdout!.on('data', (chunk) => { output += chunk })
  start.stderr!.on('data', (chunk) => { output += chunk })
  expect(exited(start), output).toBe(false)
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tessera-start-'))
  ports = { web: await freePort(), worker: await freePort(), postgres: await freePort() }
  await bootTessera()
}, 200_000)

afterAll(async () => {
  if (start && !exited(start)) process.kill(-start.pid!, 'SIGKILL')
  await rm(dataDir, { recursive: true, force: true })
})

describe('npm start', () => {
  it('restarts a kill -9\'d worker (a new process within 10 s, healthy soon after) while the web keeps serving', async () => {
    const [web] = pidsWithRole(start.pid!, 'web')
    const [worker] = pidsWithRole(start.pid!, 'worker')
    expect(web && worker, output).toBeTruthy()
    process.kill(worker!, 'SIGKILL')
    const killedAt = Date.now()
    let webDown = 0
    const webStaysUp = async () => {
      if (!(await healthy(ports.web))) webDown++
    }
    await waitUntil(async () => {
      await webStaysUp()
      const [restarted] = pidsWithRole(start.pid!, 'worker')
      return restarted !== undefined && restarted !== worker
    }, 10_000, 'a new worker process was started')
    // answering its health check includes the process's own start-up: a few seconds on an
    // idle machine, more on a loaded one, so that part is measured and printed, not bounded tightly
    await waitUntil(async () => {
      await webStaysUp()
      return healthy(ports.worker)
    }, 30_000, 'the new worker answered')
    console.log(`fault figure: npm start brought a kill -9'd worker back (healthy) in ${Date.now() - killedAt} ms`)
    expect(webDown).toBe(0)
    expect(pidsWithRole(start.pid!, 'web')).toEqual([web])
    expect(output).toContain('Tessera worker process exited (SIGKILL); restarting it')
  }, 60_000)

  it('a second npm start on the same ports names the port and its setting, exits 1 and leaves nothing running', async () => {
    await waitUntil(() => healthy(ports.worker), 30_000, 'the worker is up')
    const otherDir = await mkdtemp(join(tmpdir(), 'tessera-start-second-'))
    try {
      const second = startTessera({ TESSERA_DATA_DIR: otherDir, PORT: String(ports.web), TESSERA_WORKER_PORT: String(ports.worker), TESSERA_POSTGRES_PORT: String(ports.postgres) })
      const exitCode = await new Promise<number | null>(done => second.child.once('exit', done))
      expect(exitCode).toBe(1)
      expect(second.output()).toContain(`Port ${ports.web} (web server) is already in use`)
      expect(second.output()).toContain('Set PORT to another port')
      expect(second.output()).toContain('Set TESSERA_WORKER_PORT')
      expect(second.output()).toContain('Set TESSERA_POSTGRES_PORT')
      expect(second.output()).not.toContain('TypeError')
      // it started nothing: no Postgres of its own, no process left in its group
      expect(existsSync(join(otherDir, 'postgres', 'postmaster.pid'))).toBe(false)
      expect(pidsWithRole(second.child.pid!, 'web')).toEqual([])
    }
    finally {
      await rm(otherDir, { recursive: true, force: true })
    }
  }, 60_000)

  it('Ctrl+C stops the web, the worker and Postgres within 10 s', async () => {
    // the other tests need a running Tessera, whichever order they run in: start it again
    // on the same folder (already set up, so quicker than the first time)
    onTestFinished(bootTessera, 200_000)
    const children = [...pidsWithRole(start.pid!, 'web'), ...pidsWithRole(start.pid!, 'worker')]
    const postmaster = Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0])
    expect(children).toHaveLength(2)
    expect(isAlive(postmaster)).toBe(true)
    const stoppedAt = Date.now()
    process.kill(-start.pid!, 'SIGINT')
    await waitUntil(() => exited(start), 10_000, 'npm start exited')
    await waitUntil(() => [...children, postmaster].every(pid => !isAlive(pid)), 10_000 - (Date.now() - stoppedAt), 'every process gone')
    expect(Date.now() - stoppedAt).toBeLessThan(10_000)
  }, 30_000)
})
