import type { ParameterDefinition } from '#shared/parameters/types'
import { and, count, eq, inArray, sql } from 'drizzle-orm'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queries, runs, visualizations } from '../../db/schema'
import { stopBoss } from '../../server/queue/boss'
import { closeNotifications } from '../../server/runs/notifications'
import { useDb } from '../../server/utils/db'
import { isRunFinished } from '#shared/runs'
import { startApp, type RunningApp } from '../support/app'
import { buildMember, buildOrg, TEST_PASSWORD } from '../support/builders'
import { useTestDatabase, queryDatabase } from '../support/database'
import { buildDatasource, waitForRun } from '../support/engine-builders'
import { ApiClient } from '../support/http'

let databaseUrl: string
let web: RunningApp
// a second web process: single flight must hold across processes, not just inside one
let secondWeb: RunningApp
let secondApi: ApiClient
let worker: RunningApp
let api: ApiClient
let orgId: string
let datasourceId: string

const sourceQuery = (text: string) => queryDatabase(databaseUrl, text)

async function buildQuery(name: string, sql: string, parameters: ParameterDefinition[] = []) {
  const [query] = await useDb().insert(queries).values({ orgId, datasourceId, name, sql, parameters }).returning()
  return query!
}

async function runCount(): Promise<number> {
  const [row] = await useDb().select({ value: count() }).from(runs).where(eq(runs.orgId, orgId))
  return row!.value
}

async function waitForAllRuns() {
  const pending = await useDb().select({ id: runs.id, status: runs.status }).from(runs).where(eq(runs.orgId, orgId))
  for (const run of pending.filter(entry => !isRunFinished(entry.status))) await waitForRun(run.id)
}

async function buildVisualization(queryId: string, body: Record<string, unknown>) {
  const response = await api.post(`/api/queries/${queryId}/visualizations`, body)
  expect(response.status).toBe(201)
  return response.json as { id: string }
}

// two queries bound to one filter, and one that always fails
async function buildDashboard() {
  const daily = await buildQuery('Daily totals', 'SELECT day, sum(amount)::int AS total FROM sales WHERE amount >= {{min_amount}} GROUP BY day ORDER BY day', [{ name: 'min_amount', type: 'integer', required: true, default: 0 }])
  const total = await buildQuery('Total', 'SELECT count(*)::int AS sales FROM sales WHERE amount >= {{min_amount}}', [{ name: 'min_amount', type: 'integer', required: true, default: 0 }])
  const broken = await buildQuery('Broken', 'SELECT 1 / (SELECT count(*) - count(*) FROM sales)::int AS boom')
  const line = await buildVisualization(daily.id, { name: 'Sales per day', type: 'line', config: { x: 'day', y: ['total'] } })
  const stat = await buildVisualization(total.id, { name: 'Sales', type: 'stat', config: { value: 'sales' } })
  const failing = await buildVisualization(broken.id, { name: 'Boom', type: 'stat', config: { value: 'boom' } })
  const response = await api.post('/api/dashboards', {
    name: 'Sales',
    filters: [{ name: 'min', type: 'integer', default: 0 }],
    tiles: [
      { visualizationId: line.id, x: 0, y: 0, w: 8, h: 4, bindings: { min_amount: 'min' } },
      { visualizationId: stat.id, x: 8, y: 0, w: 4, h: 2, bindings: { min_amount: 'min' } },
      { visualizationId: failing.id, x: 8, y: 2, w: 4, h: 2, bindings: {} },
      { text: '## Notes', x: 0, y: 4, w: 12, h: 1, bindings: {} },
    ],
  })
  expect(response.status).toBe(201)
  return response.json as { id: string }
}

beforeAll(async () => {
  databaseUrl = await useTestDatabase()
  web = await startApp({ DATABASE_URL: databaseUrl })
  secondWeb = await startApp({ DATABASE_URL: databaseUrl })
  worker = await startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'worker' })
  orgId = (await buildOrg()).id
  datasourceId = (await buildDatasource(orgId, databaseUrl)).id
  await sourceQuery(`CREATE TABLE sales AS SELECT (date '2026-01-01' + (g % 10))::date AS day, g AS amount FROM generate_series(1, 100) g`)
  const editor = await buildMember(orgId, 'editor')
  api = new ApiClient(web.url)
  await api.login(editor.email, TEST_PASSWORD)
  secondApi = new ApiClient(secondWeb.url)
  await secondApi.login(editor.email, TEST_PASSWORD)
})

afterAll(async () => {
  await worker?.stop()
  await web?.stop()
  await secondWeb?.stop()
  await stopBoss()
  await closeNotifications()
})

describe('dashboards', () => {
  it('rejects bad bodies with 400s that name the field', async () => {
    const query = await buildQuery('Any', 'SELECT 1 AS one')
    const badConfig = await api.post(`/api/queries/${query.id}/visualizations`, { name: 'x', type: 'line', config: { x: 'day' } })
    expect(badConfig.status).toBe(400)
    expect(badConfig.json.data.issues.map((issue: { path: string }) => issue.path)).toContain('config.y')
    const badType = await api.post(`/api/queries/${query.id}/visualizations`, { name: 'x', type: 'donut', config: {} })
    expect(badType.status).toBe(400)
    expect(badType.json.data.issues[0].path).toBe('type')
    const bothKinds = await api.post('/api/dashboards', { name: 'D', tiles: [{ x: 0, y: 0, w: 4, h: 2, bindings: {} }] })
    expect(bothKinds.status).toBe(400)
    expect(bothKinds.json.data.issues[0].path).toBe('tiles.0.visualizationId')
    const unknownFilter = await api.post('/api/dashboards', { name: 'D', tiles: [{ text: 'hi', x: 0, y: 0, w: 4, h: 2, bindings: { a: 'nope' } }] })
    expect(unknownFilter.status).toBe(400)
    expect(unknownFilter.json.data.issues[0].path).toBe('tiles.0.bindings.a')
    const tooWide = await api.post('/api/dashboards', { name: 'D', tiles: [{ text: 'hi', x: 10, y: 0, w: 4, h: 2 }] })
    expect(tooWide.status).toBe(400)
    const unknownVisualization = await api.post('/api/dashboards', { name: 'D', tiles: [{ visualizationId: crypto.randomUUID(), x: 0, y: 0, w: 4, h: 2 }] })
    expect(unknownVisualization.status).toBe(400)
    expect(unknownVisualization.json.data.issues[0].path).toBe('tiles.0.visualizationId')
    expect((await api.get('/api/dashboards/not-an-id')).status).toBe(400)
    expect((await api.get(`/api/dashboards/${crypto.randomUUID()}`)).status).toBe(404)
  })

  it('serves fresh tile results without starting a run, and shows a failed run on its tile only', async () => {
    const dashboard = await buildDashboard()
    const first = await api.get(`/api/dashboards/${dashboard.id}`)
    expect(first.status).toBe(200)
    // each tile comes with its run, or (its queueing not awaited) marked refreshQueued
    expect(first.json.tiles.filter((tile: ViewedTile) => tile.run || tile.refreshQueued).length).toBe(3)
    await viewUntilRunsKnown(api, `/api/dashboards/${dashboard.id}`)
    await waitForAllRuns()

    const before = await runCount()
    const second = await api.get(`/api/dashboards/${dashboard.id}`)
    const [line, stat, broken, text] = second.json.tiles
    expect(line.result.rows).toHaveLength(10)
    expect(line.error).toBeNull()
    expect(stat.result.rows).toEqual([[100]])
    expect(stat.error).toBeNull()
    expect(broken.error).toMatch(/division by zero/)
    expect(broken.result).toBeNull()
    expect(text.text).toBe('## Notes')
    // the failed tile asks for a fresh run (single flight), the fresh ones start none
    expect(await runCount() - before).toBeLessThanOrEqual(1)

    const third = await api.get(`/api/dashboards/${dashboard.id}`)
    expect(third.json.tiles[1].result.rows).toEqual([[100]])
  })

  it('opening a dashboard whose tiles all have fresh results starts no run', async () => {
    const dashboard = await buildDashboard()
    await api.patch(`/api/dashboards/${dashboard.id}`, { tiles: (await api.get(`/api/dashboards/${dashboard.id}`)).json.tiles.slice(0, 2).map(pick) })
    await waitForAllRuns()
    await api.get(`/api/dashboards/${dashboard.id}`)
    await waitForAllRuns()
    const before = await runCount()
    for (let view = 0; view < 5; view++) {
      const response = await api.get(`/api/dashboards/${dashboard.id}`)
      expect(response.json.tiles.every((tile: { result: unknown }) => tile.result)).toBe(true)
    }
    expect(await runCount()).toBe(before)
  })

  it('concurrent openings of a stale dashboard start exactly one run per tile, and a filter drives both tiles', async () => {
    const dashboard = await buildDashboard()
    const views = await api.get(`/api/dashboards/${dashboard.id}?min=0`)
    const tiles = views.json.tiles.slice(0, 2).map(pick)
    await api.patch(`/api/dashboards/${dashboard.id}`, { tiles })
    await waitForAllRuns()
    const before = await runCount()
    // min=91 was never run: both tiles are missing their result; viewers hit two web processes
    const responses = await Promise.all(Array.from({ length: 30 }, (_, index) => (index % 2 ? secondApi : api).get(`/api/dashboards/${dashboard.id}?min=91`)))
    expect(responses.every(response => response.status === 200)).toBe(true)
    expect(responses.every(response => response.json.tiles.every((tile: ViewedTile) => tile.run || tile.refreshQueued))).toBe(true)
    // the queueing a view did not wait for has ended once both processes name every run
    const known = await Promise.all([api, secondApi].map(client => viewUntilRunsKnown(client, `/api/dashboards/${dashboard.id}?min=91`)))
    expect(await runCount() - before).toBe(2)
    const runIds = new Set([...responses, ...known].flatMap(response => response.json.tiles.flatMap((tile: ViewedTile) => tile.run ? [tile.run.id] : [])))
    expect(runIds.size).toBe(2)
    await waitForAllRuns()
    const filtered = await api.get(`/api/dashboards/${dashboard.id}?min=91`)
    expect(filtered.json.filterValues).toEqual({ min: 91 })
    expect(filtered.json.tiles[1].result.rows).toEqual([[10]])
    expect(filtered.json.tiles[0].result.rows.map((row: unknown[]) => row[1]).reduce((sum: number, value: number) => sum + value, 0)).toBe(91 + 92 + 93 + 94 + 95 + 96 + 97 + 98 + 99 + 100)
  })

  it('serves a stale tile its last good result without waiting for its refresh to be queued, then names the one run', async () => {
    const { path, statRun: goodRunId, queryIds } = await buildStaleDashboard(95)
    const before = await runCount()
    const runsSince = async (queryId: string) => (await useDb().select({ id: runs.id }).from(runs).where(and(eq(runs.queryId, queryId), sql`${runs.queuedAt} > now() - interval '1 hour'`))).length
    // the queueing transactions wait behind this lock (the INSERT of a run) for as long as it is held
    const blocker = new pg.Client({ connectionString: databaseUrl })
    await blocker.connect()
    try {
      await blocker.query('BEGIN')
      await blocker.query('LOCK TABLE runs IN SHARE MODE')
      const started = performance.now()
      const views = await Promise.all([api.get(path), secondApi.get(path), api.get(path)])
      expect(performance.now() - started).toBeLessThan(5_000)
      for (const view of views) {
        const [line, stat, broken] = view.json.tiles as [ViewedTile, ViewedTile, ViewedTile]
        expect(stat).toMatchObject({ run: null, refreshQueued: true, error: null })
        expect(stat.result!.runId).toBe(goodRunId!.id)
        expect(stat.result!.rows).toEqual([[6]])
        expect(line.refreshQueued).toBe(true)
        expect(line.result!.rows).toHaveLength(6)
        // the last run failed: its error is shown while the refresh is queued
        expect(broken).toMatchObject({ run: null, refreshQueued: true, result: null })
        expect(broken.error).toMatch(/division by zero/)
      }
      expect(await runCount()).toBe(before)
    }
    finally {
      await blocker.query('COMMIT')
      await blocker.end()
    }
    const [first, second] = await Promise.all([viewUntilRunsKnown(api, path), viewUntilRunsKnown(secondApi, path)])
    // the line and stat tiles: one run each, the same on both processes (the broken tile's
    // run fails at once and a later view may start another: single flight joins a run only
    // while it is under way)
    expect(first.json.tiles.slice(0, 2).map((tile: ViewedTile) => tile.run!.id)).toEqual(second.json.tiles.slice(0, 2).map((tile: ViewedTile) => tile.run!.id))
    expect(await runsSince(queryIds[0]!)).toBe(1)
    expect(await runsSince(queryIds[1]!)).toBe(1)
    expect(await runCount() - before).toBeGreaterThanOrEqual(3)
    await waitForAllRuns()
    const refreshed = (await api.get(path)).json.tiles[1]
    expect(refreshed.run.status).toBe('succeeded')
    expect(refreshed.result.runId).not.toBe(goodRunId!.id)
    expect(refreshed.result.rows).toEqual([[6]])
  })

  it('leaves a stale tile\'s refresh to whoever holds its queueing lock, without a pooled connection waiting on it', async () => {
    const { path, statRun } = await buildStaleDashboard(97)
    const [{ cacheKey }] = await useDb().select({ cacheKey: runs.cacheKey }).from(runs).where(eq(runs.id, statRun!.id)) as [{ cacheKey: string }]
    const newRuns = async () => (await useDb().select({ id: runs.id }).from(runs).where(and(eq(runs.cacheKey, cacheKey), sql`${runs.queuedAt} > now() - interval '1 hour'`))).length
    // what a queueing transaction of another process would hold
    const holder = new pg.Client({ connectionString: databaseUrl })
    await holder.connect()
    try {
      await holder.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [cacheKey])
      const view = await api.get(path)
      expect(view.json.tiles[1]).toMatchObject({ run: null, refreshQueued: true })
      expect(view.json.tiles[1].result.rows).toEqual([[4]])
      // the other tiles are queued meanwhile; nothing waits on the held lock
      const others = async () => (await api.get(path)).json.tiles as ViewedTile[]
      await expect.poll(async () => (await others()).filter(tile => tile.run).length, { timeout: 10_000 }).toBe(2)
      const { rows: [waiting] } = await holder.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`)
      expect(waiting.n).toBe(0)
      expect(await newRuns()).toBe(0)
    }
    finally {
      await holder.end()
    }
    const after = await viewUntilRunsKnown(api, path)
    expect(after.json.tiles[1].run).not.toBeNull()
    expect(await newRuns()).toBe(1)
    await waitForAllRuns()
  })

  it('refreshDashboard reruns every tile with default filters, joining runs already under way', async () => {
    const dashboard = await buildDashboard()
    await api.get(`/api/dashboards/${dashboard.id}`)
    await waitForAllRuns()
    const before = await runCount()
    const [first, second] = await Promise.all([api.post(`/api/dashboards/${dashboard.id}/refresh`), api.post(`/api/dashboards/${dashboard.id}/refresh`)])
    expect(first.status).toBe(202)
    expect(first.json.runIds).toHaveLength(3)
    expect(await runCount() - before).toBe(3)
    expect(new Set([...first.json.runIds, ...second.json.runIds]).size).toBe(3)
    await waitForAllRuns()
  })
})

/**
 * A dashboard (buildDashboard) whose three query tiles have results for `min` a day old:
 * made by runs of their queries, not by a view, so no web process keeps an answer in
 * memory and views ask the database. Returns the view's path and the stat tile's run.
 */
async function buildStaleDashboard(min: number) {
  const dashboard = await buildDashboard() as { id: string, tiles: { visualizationId: string }[] }
  const tileQueries = await useDb().select({ id: visualizations.queryId, visualizationId: visualizations.id }).from(visualizations)
    .where(inArray(visualizations.id, dashboard.tiles.slice(0, 3).map(tile => tile.visualizationId)))
  expect(tileQueries).toHaveLength(3)
  // in tile order: line, stat, broken
  const queryIds = dashboard.tiles.slice(0, 3).map(tile => tileQueries.find(query => query.visualizationId === tile.visualizationId)!.id)
  const params = { min_amount: min }
  const runIds = await Promise.all(tileQueries.map(async ({ id }) => (await api.post(`/api/queries/${id}/runs`, { params })).json.id as string))
  await waitForAllRuns()
  const [statRun] = await useDb().select({ id: runs.id }).from(runs).where(and(inArray(runs.id, runIds), eq(runs.status, 'succeeded'), eq(runs.rowCount, 1)))
  // a day old: stale for any default max age
  await useDb().update(runs).set({ queuedAt: sql`queued_at - interval '1 day'`, startedAt: sql`started_at - interval '1 day'`, finishedAt: sql`finished_at - interval '1 day'` }).where(eq(runs.orgId, orgId))
  return { path: `/api/dashboards/${dashboard.id}?min=${min}`, statRun, queryIds }
}

interface ViewedTile {
  run: { id: string, status: string, finishedAt: string | null } | null
  refreshQueued: boolean
  result: { runId: string, rows: unknown[][] } | null
  error: string | null
}

/** Views the dashboard until no tile is still waiting for its refresh to be queued. */
async function viewUntilRunsKnown(client: ApiClient, path: string) {
  const deadline = Date.now() + 10_000
  for (;;) {
    const response = await client.get(path)
    if (!response.json.tiles.some((tile: ViewedTile) => tile.refreshQueued)) return response
    if (Date.now() > deadline) throw new Error('a tile stayed refreshQueued for 10 s')
    await new Promise(done => setTimeout(done, 100))
  }
}

function pick(tile: Record<string, unknown>) {
  const { id, visualizationId, text, x, y, w, h, bindings } = tile
  return { id, visualizationId, text, x, y, w, h, bindings }
}
