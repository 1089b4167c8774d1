import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queries } from '../../db/schema'
import { stopBoss } from '../../server/queue/boss'
import { closeNotifications } from '../../server/runs/notifications'
import { useDb } from '../../server/utils/db'
import { startApp, type RunningApp } from '../support/app'
import { buildMember, buildOrg, TEST_PASSWORD } from '../support/builders'
import { useTestDatabase } from '../support/database'
import { buildDatasource, waitForRun } from '../support/engine-builders'
import { ApiClient } from '../support/http'

let web: RunningApp
let worker: RunningApp
let editor: ApiClient
let viewer: ApiClient
let datasourceId: string
let queryId: string

beforeAll(async () => {
  const databaseUrl = await useTestDatabase()
  web = await startApp({ DATABASE_URL: databaseUrl })
  worker = await startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'worker' })
  const orgId = (await buildOrg()).id
  datasourceId = (await buildDatasource(orgId, databaseUrl)).id
  const [query] = await useDb().insert(queries).values({
    orgId, datasourceId, name: 'Numbers', sql: 'SELECT g AS n, (g % 3) AS bucket FROM generate_series(1, {{top}}::int) g;',
    parameters: [{ name: 'top', type: 'integer', required: true, default: 20 }],
  }).returning()
  queryId = query!.id
  editor = new ApiClient(web.url)
  await editor.login((await buildMember(orgId, 'editor')).email, TEST_PASSWORD)
  viewer = new ApiClient(web.url)
  await viewer.login((await buildMember(orgId, 'viewer')).email, TEST_PASSWORD)
})

afterAll(async () => {
  await worker?.stop()
  await web?.stop()
  await stopBoss()
  await closeNotifications()
})

async function firstRows(runId: string, limit = 3) {
  const run = await waitForRun(runId)
  expect(run.status, run.error ?? '').toBe('succeeded')
  return (await editor.get(`/api/runs/${runId}/result?limit=${limit}`)).json.rows
}

describe('sorted re-runs', () => {
  it('sort a saved query\'s whole result by column position on the worker, parameters still bound', async () => {
    const sorted = await viewer.post(`/api/queries/${queryId}/runs`, { params: { top: 1000 }, sort: { column: 1, direction: 'desc' } })
    expect(sorted.status).toBe(202)
    expect(sorted.json.sql).toMatch(/^\/\* tessera: sorted re-run \*\/ SELECT \* FROM \(\n[\s\S]*\$1[\s\S]*\n\) AS tessera_sorted ORDER BY 1 DESC NULLS LAST$/)
    expect(await firstRows(sorted.json.id)).toEqual([[1000, 1], [999, 0], [998, 2]])
    // the unsorted run is a different answer, not the cached sorted one
    const plain = await viewer.post(`/api/queries/${queryId}/runs`, { params: { top: 1000 } })
    expect(plain.json.id).not.toBe(sorted.json.id)
    expect(await firstRows(plain.json.id)).toEqual([[1, 1], [2, 2], [3, 0]])
  })

  it('sort an ad-hoc run, a trailing comment and semicolon included', async () => {
    const sorted = await editor.post('/api/runs', { datasourceId, sql: 'SELECT g AS n FROM generate_series(1, 5) g; -- five', sort: { column: 1, direction: 'desc' } })
    expect(sorted.status).toBe(202)
    expect(await firstRows(sorted.json.id, 5)).toEqual([[5], [4], [3], [2], [1]])
  })

  it('refuse a sort column that is not a position from 1', async () => {
    for (const column of [0, 1.5, '1; DROP TABLE x', -1]) {
      const response = await editor.post('/api/runs', { datasourceId, sql: 'SELECT 1', sort: { column, direction: 'asc' } })
      expect(response.status).toBe(400)
      expect(response.json.data.issues[0].path).toBe('sort.column')
    }
    const badDirection = await viewer.post(`/api/queries/${queryId}/runs`, { sort: { column: 1, direction: 'sideways' } })
    expect(badDirection.status).toBe(400)
    expect(badDirection.json.data.issues[0].path).toBe('sort.direction')
  })
})
