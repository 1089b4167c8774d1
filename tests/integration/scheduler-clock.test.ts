// A worker's scheduler (server/worker/scheduler.ts) and run worker, in this process, with
// the scheduler's clock injected: the clock jumps from one due time to the next (a second
// before, to see nothing fires early, then a second after), firings enqueue real runs
// that the run worker executes, and the firings' due times are compared with the README's
// rules across both DST changes of Australia/Lord_Howe (30 minutes, at 02:00) and of
// America/Havana (at midnight). Then a schedule whose next time cannot be computed: it
// fires its due slot once, shows as failing with the reason (schedules API and
// /api/admin/status of a real web process) and is retried at every tick.
import { eq, sql } from 'drizzle-orm'
import type { PgBoss } from 'pg-boss'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { scheduleFirings, schedules } from '../../db/schema'
import { nextFireAfter } from '#shared/cron/next-fire'
import { stopBoss, useBoss } from '../../server/queue/boss'
import { ensureQueues } from '../../server/queue/queues'
import { closeNotifications } from '../../server/runs/notifications'
import { registerRunWorker } from '../../server/worker/run-worker'
import { registerScheduleWorker } from '../../server/worker/scheduler'
import { useDb } from '../../server/utils/db'
import { startApp, type RunningApp } from '../support/app'
import { buildMember, buildOrg, TEST_PASSWORD } from '../support/builders'
import { useTestDatabase } from '../support/database'
import { buildDatasource } from '../support/engine-builders'
import { ApiClient } from '../support/http'
import { buildQuery, buildQuerySchedule } from '../support/schedule-builders'

// the real next-fire function, which a test can make fail for one schedule's rule
const failingCron = vi.hoisted(() => ({ cron: '', times: 0 }))
vi.mock('#shared/cron/next-fire', async (importOriginal) => {
  const real = await importOriginal<typeof import('#shared/cron/next-fire')>()
  return {
    ...real,
    nextFireAfter: (cron: string, timezone: string, after: Date) => {
      if (cron === failingCron.cron && failingCron.times > 0) {
        failingCron.times--
        throw new Error('simulated failure')
      }
      return real.nextFireAfter(cron, timezone, after)
    },
  }
})

const SECOND = 1000
const TICK_MS = 50

let boss: PgBoss
let clock = new Date('2026-01-01T00:00:00Z')
const stops: (() => void | Promise<void>)[] = []
let orgId: string
let queryId: string
let web: RunningApp
let admin: ApiClient

beforeAll(async () => {
  const databaseUrl = await useTestDatabase()
  const org = await buildOrg()
  orgId = org.id
  const datasourceId = (await buildDatasource(orgId, databaseUrl, { maxConcurrentRuns: 8 })).id
  queryId = (await buildQuery(orgId, datasourceId, 'SELECT 1 AS one')).id
  boss = await useBoss()
  await ensureQueues(boss)
  stops.push(await registerRunWorker(boss))
  stops.push(await registerScheduleWorker(boss, { clock: () => clock, tickMs: TICK_MS }))
  web = await startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'web' })
  admin = new ApiClient(web.url)
  await admin.login((await buildMember(orgId, 'admin')).email, TEST_PASSWORD)
})
afterAll(async () => {
  for (const stop of stops) await stop()
  await stopBoss()
  await closeNotifications()
  await web?.stop()
})
beforeEach(async () => {
  // back before every slot a test sets up, so nothing fires until the test moves the clock
  clock = new Date('2000-01-01T00:00:00Z')
  await useDb().delete(schedules)
})

const sleep = (ms: number) => new Promise(done => setTimeout(done, ms))

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(TICK_MS)
  }
}

/** Nothing due at the clock and every firing finished: the worker has caught up. */
async function settled(): Promise<boolean> {
  const { rows: [row] } = await useDb().execute<{ due: number, open: number }>(sql`
    SELECT (SELECT count(*)::int FROM schedules WHERE enabled AND next_fire_at <= ${clock.toISOString()}::timestamptz AND next_fire_error IS NULL) AS due,
      (SELECT count(*)::int FROM schedule_firings WHERE status IN ('pending', 'running')) AS open`)
  return row!.due === 0 && row!.open === 0
}

async function firingCount(): Promise<number> {
  const { rows: [row] } = await useDb().execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM schedule_firings`)
  return row!.n
}

/**
 * Moves the clock through every due time until `until`: a second before each (a few
 * ticks must fire nothing), then a second after (the worker fires and the runs finish).
 */
async function runClockUntil(until: Date) {
  for (;;) {
    const [next] = await useDb().select({ at: sql<Date>`min(${schedules.nextFireAt})`.mapWith(value => new Date(value)) }).from(schedules).where(eq(schedules.enabled, true))
    const dueAt = next?.at
    if (!dueAt || Number.isNaN(dueAt.getTime()) || dueAt > until) return
    const before = await firingCount()
    clock = new Date(dueAt.getTime() - SECOND)
    await sleep(6 * TICK_MS)
    expect(await firingCount(), `nothing fires a second before ${dueAt.toISOString()}`).toBe(before)
    clock = new Date(dueAt.getTime() + SECOND)
    await waitUntil(`the firings due at ${dueAt.toISOString()}`, settled)
  }
}

async function firingsOf(scheduleId: string) {
  const rows = await useDb().select().from(scheduleFirings).where(eq(scheduleFirings.scheduleId, scheduleId)).orderBy(scheduleFirings.dueAt)
  for (const firing of rows) {
    // fired by the worker one (clock) second after its due time, and its run succeeded
    expect(firing.firedAt.getTime() - firing.dueAt.getTime()).toBe(SECOND)
    expect(firing.status).toBe('succeeded')
  }
  return rows.map(firing => firing.dueAt.toISOString())
}

async function scheduleFrom(cron: string, timezone: string, from: string) {
  return buildQuerySchedule(orgId, queryId, cron, timezone, nextFireAfter(cron, timezone, new Date(from)))
}

describe('a worker with a controlled clock across DST changes', () => {
  // 2026-04-05 02:00 +11 → 01:30 +10:30 (04-04 15:00Z); 2026-10-04 02:00 +10:30 → 02:30 +11 (10-03 15:30Z)
  it('fires Australia/Lord_Howe schedules at the right instants across both 30-minute changes', async () => {
    const twentyPast = await scheduleFrom('20 1-2 * * *', 'Australia/Lord_Howe', '2026-04-04T13:00:00Z')
    const halfHourly = await scheduleFrom('*/30 * * * *', 'Australia/Lord_Howe', '2026-04-04T13:50:00Z')
    await runClockUntil(new Date('2026-04-04T16:20:00Z'))
    // on to the spring change
    await useDb().update(schedules).set({ nextFireAt: nextFireAfter('20 1-2 * * *', 'Australia/Lord_Howe', new Date('2026-10-03T14:00:00Z')) }).where(eq(schedules.id, twentyPast.id))
    await useDb().update(schedules).set({ nextFireAt: nextFireAfter('*/30 * * * *', 'Australia/Lord_Howe', new Date('2026-10-03T14:20:00Z')) }).where(eq(schedules.id, halfHourly.id))
    await runClockUntil(new Date('2026-10-03T16:10:00Z'))
    expect(await firingsOf(twentyPast.id)).toEqual([
      '2026-04-04T14:20:00.000Z', // 01:20 +11, the first of two 01:20s; not again at 01:20 +10:30
      '2026-04-04T15:50:00.000Z', // 02:20 +10:30
      '2026-10-03T14:50:00.000Z', // 01:20 +10:30
      '2026-10-03T15:50:00.000Z', // 02:20 does not exist: shifted by the half-hour gap to 02:50 +11
    ])
    expect(await firingsOf(halfHourly.id)).toEqual([
      '2026-04-04T14:00:00.000Z', // 01:00 +11
      '2026-04-04T14:30:00.000Z', // 01:30 +11
      '2026-04-04T15:00:00.000Z', // 01:30 +10:30: every-hour schedules fire in both occurrences
      '2026-04-04T15:30:00.000Z', // 02:00 +10:30
      '2026-04-04T16:00:00.000Z', // 02:30 +10:30
      '2026-10-03T14:30:00.000Z', // 01:00 +10:30
      '2026-10-03T15:00:00.000Z', // 01:30 +10:30
      '2026-10-03T15:30:00.000Z', // 02:00 does not exist: shifted to 02:30 +11, where 02:30 itself fires: once
      '2026-10-03T16:00:00.000Z', // 03:00 +11
    ])
  })

  // 2026-03-08 00:00 -5 → 01:00 -4 (05:00Z); 2026-11-01 01:00 -4 → 00:00 -5 (05:00Z)
  it('fires America/Havana schedules at the right instants across both midnight changes', async () => {
    const midnight = await scheduleFrom('@Daily', 'America/Havana', '2026-03-07T00:00:00Z')
    const hourly = await scheduleFrom('30 * * * *', 'America/Havana', '2026-03-08T04:00:00Z')
    await runClockUntil(new Date('2026-03-08T07:00:00Z'))
    await useDb().update(schedules).set({ enabled: false }).where(eq(schedules.id, hourly.id))
    await runClockUntil(new Date('2026-03-09T06:00:00Z'))
    await useDb().update(schedules).set({ nextFireAt: nextFireAfter('@Daily', 'America/Havana', new Date('2026-10-31T00:00:00Z')) }).where(eq(schedules.id, midnight.id))
    await useDb().update(schedules).set({ enabled: true, nextFireAt: nextFireAfter('30 * * * *', 'America/Havana', new Date('2026-11-01T03:00:00Z')) }).where(eq(schedules.id, hourly.id))
    await runClockUntil(new Date('2026-11-01T07:00:00Z'))
    await useDb().update(schedules).set({ enabled: false }).where(eq(schedules.id, hourly.id))
    await runClockUntil(new Date('2026-11-02T06:00:00Z'))
    expect(await firingsOf(midnight.id)).toEqual([
      '2026-03-07T05:00:00.000Z', // 00:00 -5
      '2026-03-08T05:00:00.000Z', // 00:00 does not exist: 01:00 -4
      '2026-03-09T04:00:00.000Z', // 00:00 -4
      '2026-10-31T04:00:00.000Z', // 00:00 -4
      '2026-11-01T04:00:00.000Z', // 00:00 -4, the first of two midnights, not an hour later
      '2026-11-02T05:00:00.000Z', // 00:00 -5
    ])
    expect(await firingsOf(hourly.id)).toEqual([
      '2026-03-08T04:30:00.000Z', // 23:30 -5
      '2026-03-08T05:30:00.000Z', // 00:30 does not exist: 01:30 -4, where 01:30 itself fires: once
      '2026-03-08T06:30:00.000Z', // 02:30 -4
      '2026-11-01T03:30:00.000Z', // 23:30 -4
      '2026-11-01T04:30:00.000Z', // 00:30 -4
      '2026-11-01T05:30:00.000Z', // 00:30 -5: hourly schedules fire in both occurrences
      '2026-11-01T06:30:00.000Z', // 01:30 -5
    ])
  })
})

describe('a schedule whose next fire time cannot be computed', () => {
  it('fires its due slot once, shows as failing with the reason, and is retried every tick', async () => {
    const schedule = await buildQuerySchedule(orgId, queryId, '0 * * * *', 'UTC', new Date('2026-06-01T10:00:00Z'))
    // as if the runtime's time zone data had dropped the schedule's zone since it was saved
    await useDb().update(schedules).set({ timezone: 'Mars/Olympus_Mons' }).where(eq(schedules.id, schedule.id))
    clock = new Date('2026-06-01T10:00:01Z')
    await waitUntil('the failure to be recorded', async () => !!(await useDb().select().from(schedules).where(eq(schedules.id, schedule.id)))[0]!.nextFireError)
    const firstTry = (await useDb().select().from(schedules).where(eq(schedules.id, schedule.id)))[0]!
    expect(firstTry.nextFireError).toMatch(/cannot compute the next fire time of "0 \* \* \* \*" in Mars\/Olympus_Mons: .*time ?zone/i)
    expect(firstTry.nextFireAt.toISOString()).toBe('2026-06-01T10:00:00.000Z')

    // retried at the next tick (a later clock), and the due slot is still fired only once
    clock = new Date('2026-06-01T10:00:05Z')
    await waitUntil('a retry', async () => (await useDb().select().from(schedules).where(eq(schedules.id, schedule.id)))[0]!.nextFireErrorAt!.getTime() === clock.getTime())
    await waitUntil('the firing to finish', settled)
    // the slot was fired, not lost (its run refuses the unknown zone too, and says so)
    expect((await useDb().select().from(scheduleFirings).where(eq(scheduleFirings.scheduleId, schedule.id))).map(firing => [firing.dueAt.toISOString(), firing.status, firing.reason]))
      .toEqual([['2026-06-01T10:00:00.000Z', 'failed', expect.stringMatching(/timezone: must be an IANA timezone/)]])

    const listed = await admin.get('/api/schedules')
    expect(listed.status).toBe(200)
    expect(listed.json.find((row: { id: string }) => row.id === schedule.id)).toMatchObject({ nextFireError: firstTry.nextFireError, enabled: true })
    const status = await admin.get('/api/admin/status')
    expect(status.status).toBe(200)
    expect(status.json.scheduler).toMatchObject({ failingSchedules: 1, failing: [{ id: schedule.id, reason: firstTry.nextFireError }] })

    // fixing the zone clears the failure and the schedule goes on from now
    const fixed = await admin.patch(`/api/schedules/${schedule.id}`, { timezone: 'UTC' })
    expect(fixed.status).toBe(200)
    expect(fixed.json.nextFireError).toBeNull()
  })

  it('recovers by itself when the next computation succeeds again, losing no slot', async () => {
    const schedule = await buildQuerySchedule(orgId, queryId, '5 * * * *', 'UTC', new Date('2026-07-01T10:05:00Z'))
    failingCron.cron = '5 * * * *'
    failingCron.times = 1
    clock = new Date('2026-07-01T10:05:01Z')
    await waitUntil('the failure to be recorded', async () => (await useDb().select().from(schedules).where(eq(schedules.id, schedule.id)))[0]!.nextFireError === 'cannot compute the next fire time of "5 * * * *" in UTC: simulated failure')
    // the next tick, a little later, tries again and succeeds
    clock = new Date('2026-07-01T10:05:06Z')
    await waitUntil('the next slot after the retry', async () => (await useDb().select().from(schedules).where(eq(schedules.id, schedule.id)))[0]!.nextFireAt.toISOString() === '2026-07-01T11:05:00.000Z')
    const recovered = (await useDb().select().from(schedules).where(eq(schedules.id, schedule.id)))[0]!
    expect(recovered).toMatchObject({ nextFireError: null, nextFireErrorAt: null })
    expect(failingCron.times).toBe(0)
    await runClockUntil(new Date('2026-07-01T12:00:00Z'))
    expect((await useDb().select().from(scheduleFirings).where(eq(scheduleFirings.scheduleId, schedule.id))).map(firing => firing.dueAt.toISOString()))
      .toEqual(['2026-07-01T10:05:00.000Z', '2026-07-01T11:05:00.000Z'])
  })
})
