// The schedules API (docs/ARCHITECTURE.md) on a real web process: create, list, change, delete,
// firings, the next-five preview, and clear 400s for a bad cron or timezone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { scheduleFirings } from '../../db/schema'
import { useDb } from '../../server/utils/db'
import { startApp, type RunningApp } from '../support/app'
import { buildMember, buildOrg, TEST_PASSWORD } from '../support/builders'
import { useTestDatabase } from '../support/database'
import { buildDatasource } from '../support/engine-builders'
import { ApiClient } from '../support/http'
import { buildQuery } from '../support/schedule-builders'

let app: RunningApp
let editor: ApiClient
let viewer: ApiClient
let outsider: ApiClient
let orgId: string
let queryId: string
let datasourceId: string

beforeAll(async () => {
  const databaseUrl = await useTestDatabase()
  app = await startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'web' })
  orgId = (await buildOrg()).id
  datasourceId = (await buildDatasource(orgId, databaseUrl)).id
  queryId = (await buildQuery(orgId, datasourceId)).id
  editor = new ApiClient(app.url)
  await editor.login((await buildMember(orgId, 'editor')).email, TEST_PASSWORD)
  viewer = new ApiClient(app.url)
  await viewer.login((await buildMember(orgId, 'viewer')).email, TEST_PASSWORD)
  outsider = new ApiClient(app.url)
  await outsider.login((await buildMember((await buildOrg('Other')).id, 'admin')).email, TEST_PASSWORD)
})
afterAll(async () => {
  await app.stop()
})

describe('the schedules API', () => {
  it('creates a query schedule with fixed params and lists it with its next run', async () => {
    // a query of its own: other tests schedule the shared one, in any order
    const ownQueryId = (await buildQuery(orgId, datasourceId)).id
    const created = await editor.post('/api/schedules', { queryId: ownQueryId, cron: '0 6 * * 1-5', timezone: 'America/Toronto', params: { days: 7 }, enabled: true })
    expect(created.status).toBe(201)
    expect(created.json).toMatchObject({ queryId: ownQueryId, dashboardId: null, cron: '0 6 * * 1-5', timezone: 'America/Toronto', params: { days: 7 }, enabled: true, failureStreak: 0 })
    expect(new Date(created.json.nextFireAt).getTime()).toBeGreaterThan(Date.now())
    const listed = await viewer.get('/api/schedules')
    expect(listed.json.map((schedule: { id: string }) => schedule.id)).toContain(created.json.id)
    expect(listed.json.find((schedule: { id: string }) => schedule.id === created.json.id)).toMatchObject({ targetName: 'scheduled query', lastStatus: null })
    expect((await viewer.get(`/api/schedules?queryId=${ownQueryId}`)).json).toHaveLength(1)
    expect((await outsider.get('/api/schedules')).json).toEqual([])
  })

  it('answers a bad cron or timezone with a 400 that names the field and says why', async () => {
    const badCron = await editor.post('/api/schedules', { queryId, cron: '61 * * * *', timezone: 'UTC', enabled: true })
    expect(badCron.status).toBe(400)
    expect(badCron.json.data.issues).toEqual([{ path: 'cron', message: 'minute: 61 is outside 0-59' }])
    const fewFields = await editor.post('/api/schedules', { queryId, cron: '0 6 * *', timezone: 'UTC', enabled: true })
    expect(fewFields.json.message).toContain('cron: needs 5 fields')
    const badZone = await editor.post('/api/schedules', { queryId, cron: '0 6 * * *', timezone: 'Eastern', enabled: true })
    expect(badZone.status).toBe(400)
    expect(badZone.json.data.issues).toEqual([{ path: 'timezone', message: expect.stringContaining('IANA') }])
    const noTarget = await editor.post('/api/schedules', { cron: '0 6 * * *', timezone: 'UTC', enabled: true })
    expect(noTarget.json.data.issues[0].path).toBe('queryId')
    const otherOrgsQuery = await outsider.post('/api/schedules', { queryId, cron: '0 6 * * *', timezone: 'UTC', enabled: true })
    expect(otherOrgsQuery.status).toBe(400)
    expect(otherOrgsQuery.json.data.issues[0].path).toBe('queryId')
  })

  it('previews the next five fire times, shifted by DST in the schedule timezone', async () => {
    const preview = await viewer.post('/api/schedules/preview', { cron: '30 2 * * *', timezone: 'America/Toronto' })
    expect(preview.status).toBe(200)
    expect(preview.json.fireTimes).toHaveLength(5)
    for (const time of preview.json.fireTimes) expect(['07:30', '06:30']).toContain(time.slice(11, 16))
    expect((await viewer.post('/api/schedules/preview', { cron: 'nope', timezone: 'UTC' })).status).toBe(400)
  })

  it('previews from a chosen instant, the way the worker will fire, for macros in any case too', async () => {
    // Lord Howe's clocks jump from 02:00 to 02:30 on 4 October 2026: 02:15 fires at 02:45 +11
    const lordHowe = await viewer.post('/api/schedules/preview', { cron: '15 2 * * *', timezone: 'Australia/Lord_Howe', count: 3, from: '2026-10-03T00:00:00+10:30' })
    expect(lordHowe.status).toBe(200)
    expect(lordHowe.json).toEqual({ from: '2026-10-02T13:30:00.000Z', fireTimes: ['2026-10-02T15:45:00.000Z', '2026-10-03T15:45:00.000Z', '2026-10-04T15:15:00.000Z'] })
    // every-five-hours across a 30-minute fall-back threw "loop limit exceeded" (500) before
    const fiveHourly = await viewer.post('/api/schedules/preview', { cron: '0 */5 * * *', timezone: 'Australia/Lord_Howe', count: 3, from: '2026-04-04T10:00:00Z' })
    expect(fiveHourly.json.fireTimes).toEqual(['2026-04-04T13:00:00.000Z', '2026-04-04T18:30:00.000Z', '2026-04-04T23:30:00.000Z'])
    const weekly = await viewer.post('/api/schedules/preview', { cron: '@WEEKLY', timezone: 'UTC', count: 1, from: '2026-06-01T00:00:00Z' })
    expect(weekly.json.fireTimes).toEqual(['2026-06-07T00:00:00.000Z'])
    const badFrom = await viewer.post('/api/schedules/preview', { cron: '@daily', timezone: 'UTC', from: 'yesterday' })
    expect(badFrom.status).toBe(400)
    expect(badFrom.json.data.issues[0].path).toBe('from')
    const created = await editor.post('/api/schedules', { queryId, cron: '@Daily', timezone: 'America/Havana', enabled: true })
    expect(created.status).toBe(201)
  })

  it('lets editors pause, change and delete a schedule, and not viewers or other orgs', async () => {
    const { json: schedule } = await editor.post('/api/schedules', { queryId, cron: '*/5 * * * *', timezone: 'UTC', enabled: true })
    expect((await viewer.patch(`/api/schedules/${schedule.id}`, { enabled: false })).status).toBe(403)
    expect((await outsider.patch(`/api/schedules/${schedule.id}`, { enabled: false })).status).toBe(404)
    const paused = await editor.patch(`/api/schedules/${schedule.id}`, { enabled: false, cron: '0 * * * *' })
    expect(paused.json).toMatchObject({ enabled: false, cron: '0 * * * *' })
    expect((await editor.patch(`/api/schedules/${schedule.id}`, { timezone: 'Mars/Base' })).status).toBe(400)
    expect((await editor.delete(`/api/schedules/${schedule.id}`)).status).toBe(204)
    expect((await editor.delete(`/api/schedules/${schedule.id}`)).status).toBe(404)
  })

  it('lists a schedule\'s firings, newest first', async () => {
    const { json: schedule } = await editor.post('/api/schedules', { queryId, cron: '0 * * * *', timezone: 'UTC', enabled: true })
    await useDb().insert(scheduleFirings).values([
      { scheduleId: schedule.id, orgId, dueAt: new Date('2026-06-01T10:00:00Z'), status: 'succeeded' },
      { scheduleId: schedule.id, orgId, dueAt: new Date('2026-06-01T11:00:00Z'), status: 'skipped', reason: 'previous firing still running' },
    ])
    const firings = await viewer.get(`/api/schedules/${schedule.id}/firings`)
    expect(firings.json.map((firing: { status: string }) => firing.status)).toEqual(['skipped', 'succeeded'])
    expect((await outsider.get(`/api/schedules/${schedule.id}/firings`)).status).toBe(404)
  })
})
