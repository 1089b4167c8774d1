import { inArray } from 'drizzle-orm'
import pg from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { runs } from '../../db/schema'
import { stopBoss } from '../../server/queue/boss'
import { useDb } from '../../server/utils/db'
import { startFastFailoverWorker, type RunningApp } from '../support/app'
import { buildOrg } from '../support/builders'
import { useTestDatabase } from '../support/database'
import { buildDatasource, insertQueuedRun, testLimits, waitForRun } from '../support/engine-builders'

let databaseUrl: string
let orgId: string
const started: RunningApp[] = []

const startWorker = (env: Record<string, string> = {}) => startFastFailoverWorker(databaseUrl, started, env)

beforeAll(async () => {
  databaseUrl = await useTestDatabase()
  orgId = (await buildOrg()).id
})

// each test starts the workers it counts on: one left over from another would take runs
// meant for a worker the test watches
afterEach(async () => {
  await Promise.all(started.map(worker => worker.stop()))
  started.splice(0)
})

afterAll(async () => {
  await stopBoss()
})

describe('runs across worker processes', () => {
  it('never runs more than a datasource cap of 2 at once, with 10 queued runs and two workers', async () => {
    await capHolds()
  })

  // Worker A takes both slots with two long runs; worker B starts with free capacity of its
  // own and eight short runs waiting. B may only run once A frees a slot: a cap held per
  // process would let it run at once.
  async function capHolds() {
    const datasource = await buildDatasource(orgId, databaseUrl, { maxConcurrentRuns: 2 })
    const workerA = await startWorker({ TESSERA_WORKER_CONCURRENCY: '4' })
    const long = await Promise.all([1, 2].map(() => insertQueuedRun({ orgId, datasourceId: datasource.id, sql: 'SELECT pg_sleep(2)' })))
    for (const run of long) await waitForRun(run.id, current => current.status === 'running')
    await startWorker({ TESSERA_WORKER_CONCURRENCY: '4' })
    const short = await Promise.all(Array.from({ length: 8 }, () => insertQueuedRun({ orgId, datasourceId: datasource.id, sql: 'SELECT pg_sleep(0.3)' })))
    const queued = [...long, ...short]
    const sampler = new pg.Client({ connectionString: databaseUrl })
    await sampler.connect()
    let most = 0
    const deadline = Date.now() + 60_000
    for (;;) {
      // this database only: other test files share the Postgres server
      const { rows } = await sampler.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE 'tessera-run-%' AND datname = current_database()`)
      most = Math.max(most, rows[0].n)
      // its own runs only: another test's may have succeeded in this database before
      const states = await useDb().select({ status: runs.status }).from(runs).where(inArray(runs.id, queued.map(run => run.id)))
      if (states.filter(state => state.status === 'succeeded').length >= queued.length || Date.now() > deadline) break
      await new Promise(done => setTimeout(done, 20))
    }
    await sampler.end()
    expect(most).toBe(2)
    const finished = await Promise.all(queued.map(run => waitForRun(run.id)))
    expect(finished.every(run => run.status === 'succeeded')).toBe(true)
    // the long runs held both slots on A while B waited with capacity to spare
    for (const run of finished.slice(0, 2)) expect(run.workerId!.split(':')[1]).toBe(String(workerA.process.pid))
    for (const run of finished.slice(2)) expect(run.startedAt!.getTime()).toBeGreaterThanOrEqual(Math.min(...finished.slice(0, 2).map(longRun => longRun.finishedAt!.getTime())) - 50)
  }

  it('retries the run of a SIGKILLed worker on another worker once its heartbeat is stale', async () => {
    const datasource = await buildDatasource(orgId, databaseUrl)
    const doomed = await startWorker()
    const queued = await insertQueuedRun({ orgId, datasourceId: datasource.id, sql: 'SELECT pg_sleep(2), 42 AS answer' })
    const running = await waitForRun(queued.id, run => run.status === 'running')
    expect(running.workerId).toContain(`:${doomed.process.pid}:`)
    await doomed.stop('SIGKILL')
    started.splice(started.indexOf(doomed), 1)
    const killedAt = Date.now()
    await startWorker()
    const retried = await waitForRun(queued.id, run => run.status !== 'running' || !run.workerId?.includes(`:${doomed.process.pid}:`), 45_000)
    // the reaper needs the heartbeat timeout (3 s), one reaper tick (1 s), ending the backend
    // and a worker start-up, which alone takes seconds on a busy machine (run-faults.test.ts
    // measures the reaper with the survivor already up)
    expect(Date.now() - killedAt).toBeLessThan(45_000)
    expect(retried.workerId ?? '').not.toContain(`:${doomed.process.pid}:`)
    const finished = await waitForRun(queued.id)
    expect(finished).toMatchObject({ status: 'succeeded', attempts: 2, rowCount: 1 })
  }, 120_000)

  it('fails a run whose worker died on its last attempt, with the reason', async () => {
    // the reaper of a live worker is what fails it
    await startWorker()
    const datasource = await buildDatasource(orgId, databaseUrl)
    const [orphan] = await useDb().insert(runs).values({
      orgId, datasourceId: datasource.id, sql: 'SELECT 1', limits: testLimits, cacheKey: 'orphan', trigger: 'user',
      status: 'running', attempts: 2, workerId: 'gone:1:abc', startedAt: new Date(Date.now() - 60_000), heartbeatAt: new Date(Date.now() - 60_000),
    }).returning()
    const finished = await waitForRun(orphan!.id, undefined, 10_000)
    expect(finished).toMatchObject({ status: 'failed', error: 'worker stopped responding' })
    expect(finished.finishedAt).toBeInstanceOf(Date)
  })
})
