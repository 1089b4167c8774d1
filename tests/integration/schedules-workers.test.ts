// Schedules fired by real worker processes (APP_ROLE=worker) through pg-boss, into real
// runs via the real enqueue, executed by the run worker against the test Postgres.
import { and, eq, inArray, sql } from 'drizzle-orm'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { dashboards, runs, scheduleFirings, schedules, visualizations } from '../../db/schema'
import { stopBoss } from '../../server/queue/boss'
import { createSchedule, updateSchedule } from '../../server/schedules/store'
import { everyDatasource } from '../../server/access/check'
import { useDb } from '../../server/utils/db'
import { startApp, type RunningApp } from '../support/app'
import { buildOrg } from '../support/builders'
import { useTestDatabase } from '../support/database'
import { buildDatasource } from '../support/engine-builders'
import { buildQuery, buildQuerySchedule } from '../support/schedule-builders'

let databaseUrl: string
let orgId: string
let datasourceId: string
const started: RunningApp[] = []

async function startWorker() {
  const worker = await startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'worker', TESSERA_SCHEDULER_TICK_SECONDS: '1', TESSERA_SCHEDULER_BATCH: '50' })
  started.push(worker)
  await worker.waitForOutput('worker ready')
  return worker
}

async function stopWorkers() {
  await Promise.all(started.splice(0).map(worker => worker.stop()))
}

async function waitFor<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (done(value)) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`)
    await new Promise(resolve => setTimeout(resolve, 100))
  }
}

/** The start of the current minute: a slot "due in the same minute" for every schedule. */
function thisMinute(): Date {
  return new Date(Math.floor(Date.now() / 60_000) * 60_000)
}

beforeAll(async () => {
  databaseUrl = await useTestDatabase()
  orgId = (await buildOrg()).id
  datasourceId = (await buildDatasource(orgId, databaseUrl, { maxConcurrentRuns: 8 })).id
})
afterEach(async () => {
  await stopWorkers()
  await useDb().delete(schedules)
})
afterAll(stopBoss)

describe('schedules fired by worker processes', () => {
  it('gives exactly 200 firings, each with its own schedule-triggered run, for 200 schedules due in the same minute and two workers', async () => {
    // a daily rule whose slot the test sets to this minute once both workers run: the next slot is tomorrow
    const created = []
    for (let index = 0; index < 200; index++) {
      const query = await buildQuery(orgId, datasourceId, `SELECT ${index} AS n`)
      created.push(await buildQuerySchedule(orgId, query.id, '0 3 * * *', 'UTC', new Date(Date.now() + 86_400_000)))
    }
    await Promise.all([startWorker(), startWorker()])
    // only this test's schedules: the file's other tests leave theirs, in any order
    const ids = created.map(schedule => schedule.id)
    const ours = sql`schedule_id = ANY(${`{${ids.join(',')}}`}::uuid[])`
    await useDb().update(schedules).set({ nextFireAt: thisMinute() }).where(inArray(schedules.id, ids))
    await waitFor('200 settled firings', async () => (await useDb().execute<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM schedule_firings WHERE status = 'succeeded' AND ${ours}`)).rows[0]!.n, n => n >= 200)
    // a few more ticks of both workers must not add any
    await new Promise(resolve => setTimeout(resolve, 2500))

    const { rows: [counts] } = await useDb().execute<{ firings: number, schedules: number, slots: number }>(sql`
      SELECT count(*)::int AS firings, count(DISTINCT schedule_id)::int AS schedules, count(DISTINCT due_at)::int AS slots FROM schedule_firings WHERE ${ours}`)
    expect(counts).toEqual({ firings: 200, schedules: 200, slots: 1 })
    const scheduled = await useDb().select({ scheduleId: runs.scheduleId, status: runs.status }).from(runs).where(and(eq(runs.trigger, 'schedule'), inArray(runs.scheduleId, ids)))
    expect(scheduled).toHaveLength(200)
    expect(new Set(scheduled.map(run => run.scheduleId))).toEqual(new Set(created.map(schedule => schedule.id)))
    expect(scheduled.every(run => run.status === 'succeeded')).toBe(true)
  })

  it('fires each schedule missed while the only worker was stopped for ten minutes once, when it restarts', async () => {
    const query = await buildQuery(orgId, datasourceId, 'SELECT 42 AS answer')
    await startWorker()
    await stopWorkers()
    // the worker has been gone ten minutes: every minute of that is a missed slot
    const stoppedAt = new Date(thisMinute().getTime() - 10 * 60_000)
    const missed = await Promise.all([0, 1, 2].map(() => buildQuerySchedule(orgId, query.id, '* * * * *', 'UTC', stoppedAt)))
    const restartedAt = new Date()
    await startWorker()
    const firings = await waitFor('one firing per missed schedule', () => useDb().select().from(scheduleFirings), rows => rows.length >= 3)
    await new Promise(resolve => setTimeout(resolve, 2500))
    const beforeRestart = (await useDb().select().from(scheduleFirings)).filter(firing => firing.dueAt <= restartedAt)
    expect(beforeRestart.map(firing => firing.scheduleId).sort()).toEqual(missed.map(schedule => schedule.id).sort())
    expect(beforeRestart.every(firing => firing.dueAt.getTime() === stoppedAt.getTime())).toBe(true)
    expect(firings[0]!.missedSlots).toBeGreaterThanOrEqual(10)
    for (const schedule of await useDb().select().from(schedules)) expect(schedule.nextFireAt.getTime()).toBeGreaterThan(restartedAt.getTime())
  })

  it('does not fire a paused schedule while an enabled one due at the same time fires', async () => {
    const query = await buildQuery(orgId, datasourceId, 'SELECT 7 AS seven')
    const due = thisMinute()
    const paused = await buildQuerySchedule(orgId, query.id, '0 3 * * *', 'UTC', due)
    await updateSchedule(orgId, paused.id, { enabled: false })
    await useDb().update(schedules).set({ nextFireAt: due }).where(eq(schedules.id, paused.id))
    const active = await buildQuerySchedule(orgId, query.id, '0 3 * * *', 'UTC', due)
    await startWorker()
    await waitFor('the enabled schedule to fire', () => useDb().select().from(scheduleFirings).where(eq(scheduleFirings.scheduleId, active.id)), rows => rows.length === 1)
    await new Promise(resolve => setTimeout(resolve, 2500))
    expect(await useDb().select().from(scheduleFirings).where(eq(scheduleFirings.scheduleId, paused.id))).toEqual([])
  })

  it('refreshes every query tile of a scheduled dashboard with its default filters, linking the runs to the schedule', async () => {
    const plain = await buildQuery(orgId, datasourceId, 'SELECT 1 AS a')
    const other = await buildQuery(orgId, datasourceId, 'SELECT 2 AS b')
    const filtered = await buildQuery(orgId, datasourceId, 'SELECT {{min_amount}}::int AS m', [{ name: 'min_amount', type: 'integer', required: true }])
    const [line, stat, table] = await useDb().insert(visualizations).values([
      { orgId, queryId: plain.id, name: 'A', type: 'stat', config: { value: 'a' } },
      { orgId, queryId: other.id, name: 'B', type: 'stat', config: { value: 'b' } },
      { orgId, queryId: filtered.id, name: 'M', type: 'table', config: {} },
    ]).returning()
    const [dashboard] = await useDb().insert(dashboards).values({
      orgId,
      name: 'Ops',
      filters: [{ name: 'min', type: 'integer', default: 5 }],
      tiles: [
        { id: 't1', visualizationId: line!.id, x: 0, y: 0, w: 4, h: 2, bindings: {} },
        { id: 't2', visualizationId: stat!.id, x: 4, y: 0, w: 4, h: 2, bindings: {} },
        { id: 't3', visualizationId: table!.id, x: 8, y: 0, w: 4, h: 2, bindings: { min_amount: 'min' } },
        { id: 't4', text: '## Notes', x: 0, y: 2, w: 12, h: 1, bindings: {} },
      ],
    }).returning()
    const schedule = await createSchedule(orgId, null, { dashboardId: dashboard!.id, cron: '0 3 * * *', timezone: 'America/Toronto', enabled: true }, everyDatasource)
    await useDb().update(schedules).set({ nextFireAt: thisMinute() }).where(eq(schedules.id, schedule.id))
    await startWorker()

    const [firing] = await waitFor('the dashboard firing to settle', () => useDb().select().from(scheduleFirings).where(eq(scheduleFirings.scheduleId, schedule.id)),
      rows => rows.length === 1 && rows[0]!.status === 'succeeded')
    expect(firing!.runIds).toHaveLength(3)
    const tileRuns = await useDb().select().from(runs).where(eq(runs.scheduleId, schedule.id))
    expect(tileRuns.map(run => run.queryId).sort()).toEqual([plain.id, other.id, filtered.id].sort())
    expect(tileRuns.every(run => run.trigger === 'schedule' && run.status === 'succeeded')).toBe(true)
    expect(tileRuns.find(run => run.queryId === filtered.id)!.bindValues.map(String)).toEqual(['5'])
    const [after] = await useDb().select().from(schedules).where(eq(schedules.id, schedule.id))
    expect(after).toMatchObject({ lastStatus: 'succeeded', failureStreak: 0 })
  })
})
