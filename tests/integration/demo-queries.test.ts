import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queries, queryVersions, schedules } from '../../db/schema'
import { seedDemo } from '../../server/demo/seed'
import { stopBoss } from '../../server/queue/boss'
import { enqueueQueryRun } from '../../server/runs/enqueue'
import { useDb } from '../../server/utils/db'
import { closeNotifications } from '../../server/runs/notifications'
import { startApp, type RunningApp } from '../support/app'
import { buildOrg } from '../support/builders'
import { useTestDatabase } from '../support/database'
import { waitForRun } from '../support/engine-builders'

let worker: RunningApp
let orgId: string
let seeded: Awaited<ReturnType<typeof seedDemo>>

beforeAll(async () => {
  const databaseUrl = await useTestDatabase()
  orgId = (await buildOrg('Demo Ops')).id
  ;[worker, seeded] = await Promise.all([
    startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'worker' }),
    seedDemo(orgId, databaseUrl),
  ])
})

afterAll(async () => {
  await worker?.stop()
  await stopBoss()
  await closeNotifications()
})

describe('the demo content', () => {
  it('runs every demo query with its default parameters and returns rows', async () => {
    for (const [key, queryId] of Object.entries(seeded.queryIds)) {
      const { run } = await enqueueQueryRun({ orgId, queryId, trigger: 'user', maxAgeSeconds: 0 })
      const finished = await waitForRun(run.id)
      expect({ key, status: finished.status, error: finished.error }).toEqual({ key, status: 'succeeded', error: null })
      expect(finished.rowCount, key).toBeGreaterThan(0)
    }
  })

  it('offers the utilities query\'s names as the choices of the utility parameter', async () => {
    // the choices are the source query's last result: a source that never ran accepts any text
    const source = await enqueueQueryRun({ orgId, queryId: seeded.queryIds.utilities, trigger: 'user', maxAgeSeconds: 0 })
    expect((await waitForRun(source.run.id)).status).toBe('succeeded')
    const { run } = await enqueueQueryRun({ orgId, queryId: seeded.queryIds.outagesByCause, trigger: 'user', params: { utility: 'Toronto Hydro', period: 'last_year' }, maxAgeSeconds: 0 })
    expect(run.bindValues).toHaveLength(3)
    expect((await waitForRun(run.id)).status).toBe('succeeded')
    await expect(enqueueQueryRun({ orgId, queryId: seeded.queryIds.outagesByCause, trigger: 'user', params: { utility: 'Acme Power' } }))
      .rejects.toMatchObject({ statusCode: 400, issues: [{ path: 'params.utility' }] })
  })

  it('gives every demo query, the dashboard\'s too, its first version, as the API does', async () => {
    const rows = await useDb().select({ id: queries.id, name: queries.name, sql: queries.sql, version: queryVersions.version, versionSql: queryVersions.sql })
      .from(queries).leftJoin(queryVersions, eq(queryVersions.queryId, queries.id)).where(eq(queries.orgId, orgId))
    expect(rows.length).toBeGreaterThan(Object.keys(seeded.queryIds).length)
    for (const row of rows) expect({ name: row.name, version: row.version, sql: row.versionSql }).toEqual({ name: row.name, version: 1, sql: row.sql })
  })

  it('has one enabled schedule refreshing the demo dashboard every morning', async () => {
    const demoSchedules = await useDb().select().from(schedules).where(eq(schedules.orgId, orgId))
    expect(demoSchedules).toHaveLength(1)
    expect(demoSchedules[0]).toMatchObject({ cron: '0 6 * * *', timezone: 'UTC', enabled: true, queryId: null, dashboardId: expect.any(String) })
    expect(demoSchedules[0]!.nextFireAt.getUTCHours()).toBe(6)
  })
})
