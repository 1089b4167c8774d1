import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dashboards, queries } from '../../db/schema'
import { stopBoss } from '../../server/queue/boss'
import { closeNotifications } from '../../server/runs/notifications'
import { useDb } from '../../server/utils/db'
import { startApp, type RunningApp } from '../support/app'
import { buildMember, buildOrg, TEST_PASSWORD } from '../support/builders'
import { useTestDatabase } from '../support/database'
import { buildDatasource } from '../support/engine-builders'
import { ApiClient } from '../support/http'

let web: RunningApp
let viewer: ApiClient
let colleague: ApiClient
let queryId: string
let dashboardId: string
let otherOrgQueryId: string

beforeAll(async () => {
  const databaseUrl = await useTestDatabase()
  web = await startApp({ DATABASE_URL: databaseUrl })
  const orgId = (await buildOrg()).id
  const datasourceId = (await buildDatasource(orgId, databaseUrl)).id
  const [query] = await useDb().insert(queries).values({ orgId, datasourceId, name: 'Starred query', sql: 'SELECT 1' }).returning()
  const [dashboard] = await useDb().insert(dashboards).values({ orgId, name: 'Starred dashboard' }).returning()
  queryId = query!.id
  dashboardId = dashboard!.id
  const otherOrgId = (await buildOrg('Other Org')).id
  const otherDatasourceId = (await buildDatasource(otherOrgId, databaseUrl)).id
  const [foreign] = await useDb().insert(queries).values({ orgId: otherOrgId, datasourceId: otherDatasourceId, name: 'Not yours', sql: 'SELECT 1' }).returning()
  otherOrgQueryId = foreign!.id
  viewer = new ApiClient(web.url)
  await viewer.login((await buildMember(orgId, 'viewer')).email, TEST_PASSWORD)
  colleague = new ApiClient(web.url)
  await colleague.login((await buildMember(orgId, 'viewer')).email, TEST_PASSWORD)
})

afterAll(async () => {
  await web?.stop()
  await stopBoss()
  await closeNotifications()
})

describe('favorites', () => {
  it('lets a viewer star a query and a dashboard once each, lists them newest first, and only for that user', async () => {
    expect((await viewer.request('PUT', `/api/favorites/queries/${queryId}`)).status).toBe(200)
    expect((await viewer.request('PUT', `/api/favorites/queries/${queryId}`)).status).toBe(200)
    expect((await viewer.request('PUT', `/api/favorites/dashboards/${dashboardId}`)).status).toBe(200)
    const mine = await viewer.get('/api/favorites')
    expect(mine.json).toEqual({
      queries: [{ id: queryId, name: 'Starred query', archived: false }],
      dashboards: [{ id: dashboardId, name: 'Starred dashboard' }],
    })
    expect((await colleague.get('/api/favorites')).json).toEqual({ queries: [], dashboards: [] })

    expect((await viewer.delete(`/api/favorites/queries/${queryId}`)).status).toBe(204)
    expect((await viewer.get('/api/favorites')).json.queries).toEqual([])
  })

  it('answers 404 for another org\'s query and 400 for a bad kind or id', async () => {
    const foreign = await viewer.request('PUT', `/api/favorites/queries/${otherOrgQueryId}`)
    expect(foreign.status).toBe(404)
    expect(foreign.json.message).toBe('Query not found')
    const badKind = await viewer.request('PUT', `/api/favorites/schedules/${queryId}`)
    expect(badKind.status).toBe(400)
    expect(badKind.json.data.issues[0].path).toBe('kind')
    expect((await viewer.request('PUT', '/api/favorites/queries/not-an-id')).status).toBe(400)
  })
})
