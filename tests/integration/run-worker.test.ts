import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { stopBoss } from '../../server/queue/boss'
import { getResultMeta, readResultPage, streamResultRows } from '../../server/results/read'
import { requestRunCancel } from '../../server/runs/cancel'
import { runEventsReady, subscribeToRun, type RunEvent } from '../../server/runs/events'
import { closeNotifications } from '../../server/runs/notifications'
import { usePool } from '../../server/utils/db'
import { startApp, type RunningApp } from '../support/app'
import { buildOrg } from '../support/builders'
import { useTestDatabase, queryDatabase } from '../support/database'
import { buildDatasource, insertQueuedRun, waitForRun } from '../support/engine-builders'

let databaseUrl: string
let worker: RunningApp
let orgId: string
let datasourceId: string

const sourceQuery = (text: string) => queryDatabase(databaseUrl, text)

async function run(sql: string, values: { bindValues?: unknown[], limits?: { timeoutMs?: number, maxRows?: number, maxBytes?: number } } = {}) {
  return insertQueuedRun({ orgId, datasourceId, sql, ...values })
}

beforeAll(async () => {
  databaseUrl = await useTestDatabase()
  worker = await startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'worker', TESSERA_RESULT_CHUNK_ROWS: '100', TESSERA_HEARTBEAT_SECONDS: '1' })
  orgId = (await buildOrg()).id
  datasourceId = (await buildDatasource(orgId, databaseUrl)).id
  await sourceQuery(`CREATE TABLE numbers AS SELECT g AS n, 'row ' || g AS label FROM generate_series(1, 1000) g`)
})

afterAll(async () => {
  await worker?.stop()
  await stopBoss()
  await closeNotifications()
})

describe('the run worker', () => {
  it('runs a query with bound parameters, stores its rows in chunks and publishes running and succeeded', async () => {
    await runEventsReady()
    const events: RunEvent[] = []
    const queued = await run('SELECT n, label FROM numbers WHERE n > $1 ORDER BY n', { bindValues: [10] })
    const unsubscribe = subscribeToRun(queued.id, event => events.push(event))
    const finished = await waitForRun(queued.id)
    expect(finished).toMatchObject({ status: 'succeeded', rowCount: 990, truncated: false, attempts: 1, error: null })
    expect(finished.timings).toEqual({ queuedMs: expect.any(Number), executingMs: expect.any(Number), storingMs: expect.any(Number) })
    expect(await getResultMeta(orgId, queued.id)).toMatchObject({ chunkRows: 100, chunkCount: 10, rowCount: 990, storage: 'postgres' })
    const page = await readResultPage(orgId, queued.id, 0, 3)
    expect(page).toEqual({ columns: [{ name: 'n', type: 'int4' }, { name: 'label', type: 'text' }], rows: [[11, 'row 11'], [12, 'row 12'], [13, 'row 13']], rowCount: 990, truncated: false, offset: 0 })
    const streamed: unknown[][] = []
    for await (const chunk of streamResultRows((await getResultMeta(orgId, queued.id))!)) streamed.push(...chunk)
    expect(streamed).toHaveLength(990)
    expect(streamed.at(-1)).toEqual([1000, 'row 1000'])
    // the last event is published just after the row is updated
    for (let waited = 0; events.at(-1)?.status !== 'succeeded' && waited < 5_000; waited += 25) await new Promise(done => setTimeout(done, 25))
    unsubscribe()
    expect(events.map(event => event.status)).toContain('running')
    expect(events.at(-1)).toMatchObject({ status: 'succeeded', rowCount: 990 })
  })

  it('claims runs under the same worker id that its presence row announces', async () => {
    const finished = await waitForRun((await run('SELECT 1')).id)
    const { rows: [claimed] } = await usePool().query<{ worker_id: string }>('SELECT worker_id FROM runs WHERE id = $1', [finished.id])
    const { rows: present } = await usePool().query<{ worker_id: string }>('SELECT worker_id FROM worker_heartbeats')
    expect(claimed!.worker_id).toMatch(/:\d+:[0-9a-f]{6}$/)
    expect(present.map(row => row.worker_id)).toEqual([claimed!.worker_id])
  })

  it('reads a page by opening only the chunks that cover it', async () => {
    const queued = await run('SELECT n FROM numbers ORDER BY n')
    await waitForRun(queued.id)
    // leave only chunks 2 and 3 (rows 200–399): the page must still read exactly
    await usePool().query('DELETE FROM result_chunks WHERE run_id = $1 AND chunk_index NOT IN (2, 3)', [queued.id])
    const page = await readResultPage(orgId, queued.id, 250, 100)
    expect(page!.rows).toEqual(Array.from({ length: 100 }, (_, index) => [251 + index]))
    await expect(readResultPage(orgId, queued.id, 150, 100)).rejects.toThrow(/missing chunk 1/)
    expect(await readResultPage(orgId, queued.id, 5000, 10)).toMatchObject({ rows: [], rowCount: 1000 })
  })

  it('ends a page of very long values at the page byte cap, and the next page goes on from there', async () => {
    const queued = await run(`SELECT g, repeat('x', 1000000) AS long FROM generate_series(1, 20) g`)
    await waitForRun(queued.id)
    // 8 MiB a page by default: 20 values of a million bytes never come back in one page
    const first = await readResultPage(orgId, queued.id, 0, 20)
    expect(first!.rows.length).toBeGreaterThan(0)
    expect(first!.rows.length).toBeLessThan(10)
    const second = await readResultPage(orgId, queued.id, first!.rows.length, 20)
    expect(second!.rows[0]![0]).toBe(first!.rows.length + 1)
    expect(second!.rows[0]![1]).toBe('x'.repeat(1000000))
  })

  it('does not read results of another org', async () => {
    const queued = await run('SELECT 1 AS one')
    await waitForRun(queued.id)
    const otherOrg = await buildOrg('Other')
    expect(await readResultPage(otherOrg.id, queued.id, 0, 10)).toBeUndefined()
  })

  it('refuses INSERT, DROP, SET TRANSACTION READ WRITE and several statements, leaving the table untouched', async () => {
    const attempts = {
      'INSERT INTO numbers VALUES (0, \'zero\')': /read-only transaction/,
      'DROP TABLE numbers': /read-only transaction/,
      'SET TRANSACTION READ WRITE': /read-only transaction/,
      'SELECT 1; DELETE FROM numbers': /Only one statement/,
    }
    for (const [sql, message] of Object.entries(attempts)) {
      const finished = await waitForRun((await run(sql)).id)
      expect(finished.status, sql).toBe('failed')
      expect(finished.error, sql).toMatch(message)
    }
    expect((await sourceQuery('SELECT count(*)::int AS n FROM numbers')).rows[0].n).toBe(1000)
  })

  it('reports where Postgres blamed the SQL', async () => {
    const finished = await waitForRun((await run('SELECT missing_column FROM numbers')).id)
    expect(finished).toMatchObject({ status: 'failed', errorPosition: 8 })
    expect(finished.error).toMatch(/missing_column/)
  })

  it('ends a query that outlives its timeout as timed_out', async () => {
    const finished = await waitForRun((await run('SELECT pg_sleep(10)', { limits: { timeoutMs: 300 } })).id)
    expect(finished.status).toBe('timed_out')
    expect(finished.error).toMatch(/300 ms/)
  })

  it('cancels a running pg_sleep(60) within 2 seconds', async () => {
    const queued = await run('SELECT pg_sleep(60)')
    await waitForRun(queued.id, current => current.status === 'running')
    // let the statement reach the database
    await new Promise(done => setTimeout(done, 200))
    const asked = Date.now()
    expect(await requestRunCancel(orgId, queued.id)).toMatchObject({ status: 'running', cancelRequestedAt: expect.any(Date) })
    const finished = await waitForRun(queued.id, undefined, 2_000)
    expect(finished.status).toBe('canceled')
    expect(Date.now() - asked).toBeLessThan(2_000)
    const { rows } = await sourceQuery(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'tessera-run-${queued.id}' AND state = 'active'`)
    expect(rows[0].n).toBe(0)
  })

  it('cancels a queued run at once so it never runs', async () => {
    // the datasource's only slot is held by a sleeping run, so the next one stays queued
    // (otherwise a quick worker may finish it before the cancel arrives)
    const datasourceId = (await buildDatasource(orgId, databaseUrl, { maxConcurrentRuns: 1 })).id
    const blocker = await insertQueuedRun({ orgId, datasourceId, sql: 'SELECT pg_sleep(30)' })
    await waitForRun(blocker.id, run => run.status === 'running')
    const queued = await insertQueuedRun({ orgId, datasourceId, sql: 'SELECT 1' })
    const canceled = await requestRunCancel(orgId, queued.id)
    expect(canceled).toMatchObject({ status: 'canceled' })
    await requestRunCancel(orgId, blocker.id)
    await waitForRun(blocker.id)
    await new Promise(done => setTimeout(done, 500))
    expect(await waitForRun(queued.id)).toMatchObject({ status: 'canceled', startedAt: null, attempts: 0 })
    expect(await requestRunCancel((await buildOrg('Elsewhere')).id, queued.id)).toBeUndefined()
  })

  // without parameters rows arrive through COPY, with them as DataRow messages: limits hold for both
  it.each([
    ['COPY', '', []],
    ['DataRow messages', 'WHERE n > $1', [0]],
  ])('truncates at max rows and max bytes and says so (rows as %s)', async (_format, where, bindValues) => {
    const byRows = await waitForRun((await run(`SELECT n FROM numbers ${where} ORDER BY n`, { bindValues, limits: { maxRows: 250 } })).id)
    expect(byRows).toMatchObject({ status: 'succeeded', rowCount: 250, truncated: true })
    expect(await getResultMeta(orgId, byRows.id)).toMatchObject({ rowCount: 250, truncated: true, chunkCount: 3 })
    expect((await readResultPage(orgId, byRows.id, 240, 100))!.rows.at(-1)).toEqual([250])
    // each row is 7 to 11 bytes as COPY text ("n\trow n"), whichever path read it
    const byBytes = await waitForRun((await run(`SELECT n, label FROM numbers ${where} ORDER BY n`, { bindValues, limits: { maxBytes: 1_000 } })).id)
    expect(byBytes).toMatchObject({ status: 'succeeded', truncated: true })
    expect(byBytes.rowCount).toBeGreaterThan(50)
    expect(byBytes.rowCount).toBeLessThan(150)
    expect(byBytes.byteCount).toBeLessThanOrEqual(1_000)
    const page = await readResultPage(orgId, byBytes.id, 0, 1_000)
    expect(page!.rows).toHaveLength(byBytes.rowCount!)
    expect(page!.rows.at(-1)).toEqual([byBytes.rowCount, `row ${byBytes.rowCount}`])
  })
})
