// The firing pass on a real database, driven with explicit `now` values so instants are
// deterministic. Targets are recorded here (the real enqueue is covered by the worker
// process tests in schedules-workers.test.ts).
import { eq, sql } from 'drizzle-orm'
import type { PgBoss } from 'pg-boss'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { runs, scheduleFirings, schedules } from '../../db/schema'
import { nextFireTimes } from '#shared/cron/next-fire'
import { stopBoss, useBoss } from '../../server/queue/boss'
import { claimDueSchedules } from '../../server/schedules/claim'
import { fireFirings } from '../../server/schedules/fire'
import { settleFinishedFirings } from '../../server/schedules/settle'
import { fireTarget, type FiringTarget } from '../../server/schedules/targets'
import { updateSchedule } from '../../server/schedules/store'
import { useDb } from '../../server/utils/db'
import { useTestDatabase } from '../support/database'
import { buildOrg } from '../support/builders'
import { buildDatasource } from '../support/engine-builders'
import { buildQuery, buildQuerySchedule } from '../support/schedule-builders'

// firings go to a recorder instead of enqueueing runs: this file tests claiming and settling
vi.mock('../../server/schedules/targets', () => ({ fireTarget: vi.fn() }))

const databaseUrl = await useTestDatabase()
let boss: PgBoss
let orgId: string
let datasourceId: string
let queryId: string
let fired: FiringTarget[] = []
let runIdsToReturn: () => Promise<string[]> = async () => []

beforeAll(async () => {
  boss = await useBoss()
  orgId = (await buildOrg()).id
  datasourceId = (await buildDatasource(orgId, databaseUrl)).id
  queryId = (await buildQuery(orgId, datasourceId)).id
  vi.mocked(fireTarget).mockImplementation(async (target) => {
    fired.push(target)
    return { runIds: await runIdsToReturn() }
  })
})
afterAll(async () => {
  await stopBoss()
})
beforeEach(async () => {
  fired = []
  runIdsToReturn = async () => []
  await useDb().delete(schedules)
})

/** What a worker does at `now`: claim, fire the claimed firings, settle. */
async function tick(now: Date) {
  const result = await claimDueSchedules(boss, now, 1000)
  await fireFirings(result.fired)
  await settleFinishedFirings(now)
  return result
}

async function firingsOf(scheduleId: string) {
  return useDb().select().from(scheduleFirings).where(eq(scheduleFirings.scheduleId, scheduleId)).orderBy(scheduleFirings.dueAt)
}

async function insertRun(status: 'running' | 'succeeded' | 'failed', error: string | null = null) {
  const [run] = await useDb().insert(runs).values({
    orgId, datasourceId, queryId, sql: 'SELECT 1', limits: { timeoutMs: 1000, maxRows: 10, maxBytes: 1000 },
    cacheKey: crypto.randomUUID(), status, trigger: 'schedule', error, finishedAt: status === 'running' ? null : new Date(),
  }).returning()
  return run!
}

const MINUTE = 60_000

describe('schedule firing in America/Toronto across daylight saving transitions', () => {
  async function fireThrough(cron: string, from: string, to: string) {
    const start = new Date(from)
    const schedule = await buildQuerySchedule(orgId, queryId, cron, 'America/Toronto', nextFireTimes(cron, 'America/Toronto', start, 1)[0]!)
    // a worker ticking every five minutes (plus a few seconds of lag)
    for (let now = start.getTime(); now <= new Date(to).getTime(); now += 5 * MINUTE) await tick(new Date(now + 7_000))
    return (await firingsOf(schedule.id)).map(firing => ({ dueAt: firing.dueAt.toISOString(), status: firing.status }))
  }

  it('fires a 02:30 daily schedule at 02:30 EST, 03:30 EDT on spring-forward day, then 02:30 EDT', async () => {
    const firings = await fireThrough('30 2 * * *', '2026-03-07T00:00:00Z', '2026-03-09T12:00:00Z')
    expect(firings).toEqual([
      { dueAt: '2026-03-07T07:30:00.000Z', status: 'succeeded' },
      { dueAt: '2026-03-08T07:30:00.000Z', status: 'succeeded' },
      { dueAt: '2026-03-09T06:30:00.000Z', status: 'succeeded' },
    ])
  })

  it('fires an hourly schedule at every real hour of the spring-forward night (no 02:00 EST)', async () => {
    const firings = await fireThrough('0 * * * *', '2026-03-08T04:30:00Z', '2026-03-08T08:30:00Z')
    expect(firings.map(firing => firing.dueAt)).toEqual([
      '2026-03-08T05:00:00.000Z', '2026-03-08T06:00:00.000Z', '2026-03-08T07:00:00.000Z', '2026-03-08T08:00:00.000Z',
    ])
  })

  it('fires an hourly schedule in both 01:00 hours of the fall-back night', async () => {
    const firings = await fireThrough('0 * * * *', '2026-11-01T03:30:00Z', '2026-11-01T07:30:00Z')
    expect(firings.map(firing => firing.dueAt)).toEqual([
      '2026-11-01T04:00:00.000Z', '2026-11-01T05:00:00.000Z', '2026-11-01T06:00:00.000Z', '2026-11-01T07:00:00.000Z',
    ])
  })

  it('fires a 01:30 daily schedule once on the fall-back night, at 01:30 EDT', async () => {
    const firings = await fireThrough('30 1 * * *', '2026-10-31T12:00:00Z', '2026-11-02T12:00:00Z')
    expect(firings.map(firing => firing.dueAt)).toEqual(['2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z'])
  })
})

describe('schedule firing', () => {
  it('passes the fixed parameters, the schedule and its timezone to the target', async () => {
    const schedule = await buildQuerySchedule(orgId, queryId, '*/5 * * * *', 'Europe/Paris', new Date('2026-06-01T10:00:00Z'), { days: 7 })
    await tick(new Date('2026-06-01T10:00:05Z'))
    expect(fired).toEqual([{ orgId, scheduleId: schedule.id, queryId, dashboardId: null, params: { days: 7 }, timezone: 'Europe/Paris' }])
  })

  it('fires a schedule missed during downtime once, counts the missed slots, and waits for the next slot', async () => {
    const schedule = await buildQuerySchedule(orgId, queryId, '* * * * *', 'UTC', new Date('2026-06-01T10:00:00Z'))
    await tick(new Date('2026-06-01T10:10:30Z'))
    await tick(new Date('2026-06-01T10:10:40Z'))
    const firings = await firingsOf(schedule.id)
    expect(firings.map(firing => [firing.dueAt.toISOString(), firing.missedSlots])).toEqual([['2026-06-01T10:00:00.000Z', 10]])
    const [after] = await useDb().select().from(schedules).where(eq(schedules.id, schedule.id))
    expect(after!.nextFireAt.toISOString()).toBe('2026-06-01T10:11:00.000Z')
  })

  it('skips a firing while the previous one still runs, records why, and fires again once it is done', async () => {
    const running = await insertRun('running')
    runIdsToReturn = async () => [running.id]
    const schedule = await buildQuerySchedule(orgId, queryId, '* * * * *', 'UTC', new Date('2026-06-01T10:00:00Z'))
    await tick(new Date('2026-06-01T10:00:01Z'))
    await tick(new Date('2026-06-01T10:01:01Z'))
    let firings = await firingsOf(schedule.id)
    expect(firings.map(firing => [firing.status, firing.reason])).toEqual([['running', null], ['skipped', 'previous firing still running']])
    expect(fired).toHaveLength(1)

    await useDb().update(runs).set({ status: 'succeeded', finishedAt: new Date() }).where(eq(runs.id, running.id))
    runIdsToReturn = async () => []
    await tick(new Date('2026-06-01T10:02:01Z'))
    firings = await firingsOf(schedule.id)
    expect(firings.map(firing => firing.status)).toEqual(['succeeded', 'skipped', 'succeeded'])
    expect(fired).toHaveLength(2)
  })

  it('keeps the failure streak and last error of a schedule whose runs fail, and resets the streak on success', async () => {
    const schedule = await buildQuerySchedule(orgId, queryId, '* * * * *', 'UTC', new Date('2026-06-01T10:00:00Z'))
    runIdsToReturn = async () => [(await insertRun('failed', 'relation "nope" does not exist')).id]
    await tick(new Date('2026-06-01T10:00:01Z'))
    await tick(new Date('2026-06-01T10:00:02Z')) // settles the finished run
    runIdsToReturn = async () => { throw new Error('Invalid params: days: required') }
    await tick(new Date('2026-06-01T10:01:01Z'))
    let [row] = await useDb().select().from(schedules).where(eq(schedules.id, schedule.id))
    expect(row).toMatchObject({ lastStatus: 'failed', failureStreak: 2, lastError: 'Invalid params: days: required' })
    const firings = await firingsOf(schedule.id)
    expect(firings.map(firing => [firing.status, firing.reason])).toEqual([
      ['failed', 'failed: relation "nope" does not exist'],
      ['failed', 'Invalid params: days: required'],
    ])

    runIdsToReturn = async () => [(await insertRun('succeeded')).id]
    await tick(new Date('2026-06-01T10:02:01Z'))
    await tick(new Date('2026-06-01T10:02:02Z'))
    ;[row] = await useDb().select().from(schedules).where(eq(schedules.id, schedule.id))
    expect(row).toMatchObject({ lastStatus: 'succeeded', failureStreak: 0, lastError: 'Invalid params: days: required' })
  })

  it('stops firing a paused schedule, and resumes from the next slot after now when re-enabled', async () => {
    const schedule = await buildQuerySchedule(orgId, queryId, '* * * * *', 'UTC', new Date('2026-06-01T10:00:00Z'))
    await updateSchedule(orgId, schedule.id, { enabled: false })
    await tick(new Date('2026-06-01T10:00:01Z'))
    await tick(new Date('2026-06-01T10:05:01Z'))
    expect(await firingsOf(schedule.id)).toEqual([])
    const resumed = await updateSchedule(orgId, schedule.id, { enabled: true })
    expect(resumed!.nextFireAt.getTime()).toBeGreaterThan(Date.now())
  })

  it('fires 200 schedules due in the same minute exactly once with two claim loops racing', async () => {
    const due = new Date('2026-06-01T10:00:00Z')
    const created = await Promise.all(Array.from({ length: 200 }, () => buildQuerySchedule(orgId, queryId, '* * * * *', 'UTC', due)))
    const now = new Date('2026-06-01T10:00:02Z')
    const loop = async () => {
      let total = 0
      for (;;) {
        const result = await claimDueSchedules(boss, now, 25)
        total += result.fired.length
        if (!result.claimed) return total
      }
    }
    const [first, second] = await Promise.all([loop(), loop()])
    expect(first + second).toBe(200)
    expect(first).toBeGreaterThan(0)
    expect(second).toBeGreaterThan(0)
    const { rows } = await useDb().execute<{ firings: number, schedules: number }>(sql`
      SELECT count(*)::int AS firings, count(DISTINCT schedule_id)::int AS schedules FROM schedule_firings`)
    expect(rows[0]).toEqual({ firings: 200, schedules: created.length })
  })
})

describe('scheduler status', () => {
  it('reports how late the most overdue enabled schedule is, ignoring paused ones and failing ones', async () => {
    const { schedulerStatus } = await import('../../server/schedules/status')
    expect(await schedulerStatus(orgId)).toMatchObject({ lagSeconds: 0, dueSchedules: 0, failingSchedules: 0, failing: [] })
    // a schedule failing to compute its next time stays due on purpose: it is counted apart
    const failing = await buildQuerySchedule(orgId, queryId, '* * * * *', 'UTC', new Date(Date.now() - 7_200_000))
    await useDb().update(schedules).set({ nextFireError: 'cannot compute', nextFireErrorAt: new Date() }).where(eq(schedules.id, failing.id))
    await buildQuerySchedule(orgId, queryId, '* * * * *', 'UTC', new Date(Date.now() - 120_000))
    const paused = await buildQuerySchedule(orgId, queryId, '* * * * *', 'UTC', new Date(Date.now() - 3_600_000))
    await useDb().update(schedules).set({ enabled: false }).where(eq(schedules.id, paused.id))
    const status = await schedulerStatus(orgId)
    expect(status.dueSchedules).toBe(1)
    expect(status).toMatchObject({ failingSchedules: 1, failing: [{ id: failing.id, reason: 'cannot compute' }] })
    expect(status.lagSeconds).toBeGreaterThanOrEqual(119)
    expect(status.lagSeconds).toBeLessThan(200)
  })
})
