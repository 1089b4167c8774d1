// The metadata database goes away (stopped for 10 s, then 60 s) under a running web and
// worker. Meanwhile the API answers 503 with Retry-After; afterwards both processes carry
// on without a restart, the run in flight when it stopped ends, and a schedule that came
// due during the outage fires. Outage lengths: TESSERA_TEST_OUTAGE_SECONDS (default "10,60").
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrateDatabase } from '../../db/migrate'
import { scheduleFirings } from '../../db/schema'
import { stopBoss } from '../../server/queue/boss'
import { closeDb, useDb } from '../../server/utils/db'
import { startEmbeddedPostgres } from '../../scripts/embedded-postgres.mjs'
import { freePort } from '../../scripts/free-port.mjs'
import { startApp, type RunningApp } from '../support/app'
import { buildMember, buildOrg, TEST_PASSWORD } from '../support/builders'
import { createTestDatabase, TEST_SECRET_KEY } from '../support/database'
import { buildDatasource } from '../support/engine-builders'
import { ApiClient } from '../support/http'
import { buildQuery, buildQuerySchedule } from '../support/schedule-builders'

const OUTAGES = (process.env.TESSERA_TEST_OUTAGE_SECONDS ?? '10,60').split(',').map(Number)

let dataDir: string
let port: number
let metadata: Awaited<ReturnType<typeof startEmbeddedPostgres>>
let web: RunningApp
let worker: RunningApp
let api: ApiClient
let orgId: string
let queryId: string

// the same password on every start: the restarted server must let the running web and worker back in
const METADATA_PASSWORD = randomBytes(18).toString('base64url')
const startMetadata = () => startEmbeddedPostgres({ dataDir, port, password: METADATA_PASSWORD })

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tessera-outage-'))
  port = await freePort()
  metadata = await startMetadata()
  const databaseUrl = await metadata.ensureDatabase('tessera')
  await migrateDatabase(databaseUrl, 'db/migrations')
  process.env.DATABASE_URL = databaseUrl
  process.env.TESSERA_SECRET_KEY ??= TEST_SECRET_KEY
  orgId = (await buildOrg()).id
  // the datasource lives on the other server, so it stays up while the metadata one is down
  const datasource = await buildDatasource(orgId, await createTestDatabase())
  queryId = (await buildQuery(orgId, datasource.id, 'SELECT pg_sleep(2), 1 AS one')).id
  const env = { DATABASE_URL: databaseUrl, TESSERA_HEARTBEAT_SECONDS: '1', TESSERA_HEARTBEAT_TIMEOUT_SECONDS: '3', TESSERA_SCHEDULER_TICK_SECONDS: '1' }
  web = await startApp(env)
  worker = await startApp({ ...env, APP_ROLE: 'worker' })
  const member = await buildMember(orgId, 'editor')
  api = new ApiClient(web.url)
  await api.login(member.email, TEST_PASSWORD)
})

afterAll(async () => {
  await worker?.stop('SIGKILL')
  await web?.stop('SIGKILL')
  await stopBoss().catch(() => {})
  await closeDb().catch(() => {})
  await metadata?.stop().catch(() => {})
  await rm(dataDir, { recursive: true, force: true })
})

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe().catch(() => undefined)
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`)
    await new Promise(done => setTimeout(done, 200))
  }
}

describe('metadata database outage', () => {
  for (const seconds of OUTAGES) {
    it(`stopped for ${seconds} s: 503 with Retry-After meanwhile, then recovery without a restart, no run or due schedule lost`, async () => {
      const started = await api.post(`/api/queries/${queryId}/runs`, { maxAgeSeconds: 0 })
      expect(started.status).toBe(202)
      await waitFor(async () => (await api.get(`/api/runs/${started.json.id}`)).json.status === 'running' || undefined, 20_000, 'the run started')
      // a schedule due in the middle of the outage
      const dueAt = new Date(Math.ceil((Date.now() + (seconds * 1000) / 2) / 1000) * 1000)
      const schedule = await buildQuerySchedule(orgId, queryId, '0 0 1 1 *', 'UTC', dueAt)
      await stopBoss()
      await closeDb()

      await metadata.stop()
      const stoppedAt = Date.now()
      const statuses = new Set<number>()
      while (Date.now() - stoppedAt < seconds * 1000) {
        const listed = await api.get('/api/queries')
        statuses.add(listed.status)
        if (listed.status === 503) expect(Number(listed.headers.get('retry-after'))).toBeGreaterThan(0)
        const run = await api.post(`/api/queries/${queryId}/runs`, { maxAgeSeconds: 0 })
        statuses.add(run.status)
        if (run.status === 503) expect(run.headers.get('retry-after')).toBeTruthy()
        await new Promise(done => setTimeout(done, 1_000))
      }
      expect([...statuses]).toEqual([503])

      metadata = await startMetadata()
      const restartedAt = Date.now()
      await waitFor(async () => (await api.get('/api/queries')).status === 200 || undefined, 30_000, 'the API answered again')
      const recoveredMs = Date.now() - restartedAt
      console.log(`fault figure: API answering ${recoveredMs} ms after the metadata database came back from a ${seconds} s outage`)
      expect(web.process.exitCode, web.output().slice(-4000)).toBeNull()
      expect(worker.process.exitCode, worker.output().slice(-4000)).toBeNull()

      // the run in flight when the database went away ends (retried by the reaper if need be)
      const finished = await waitFor(async () => {
        const { json } = await api.get(`/api/runs/${started.json.id}`)
        return ['succeeded', 'failed', 'canceled', 'timed_out'].includes(json.status) ? json : undefined
      }, 60_000, 'the run in flight ended')
      expect(finished.status).toBe('succeeded')
      // the due schedule fired once, for its slot
      const firings = await waitFor(async () => {
        const rows = await useDb().select().from(scheduleFirings).where(and(eq(scheduleFirings.scheduleId, schedule.id)))
        return rows.length > 0 ? rows : undefined
      }, 30_000, 'the due schedule fired')
      expect(firings).toHaveLength(1)
      expect(firings[0]!.dueAt.getTime()).toBe(dueAt.getTime())
      // and a new run goes through
      const after = await api.post(`/api/queries/${queryId}/runs`, { maxAgeSeconds: 0 })
      expect(after.status).toBe(202)
    }, (seconds + 150) * 1000)
  }
})
