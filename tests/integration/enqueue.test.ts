import { and, eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queries, results, runs } from '../../db/schema'
import { stopBoss, useBoss } from '../../server/queue/boss'
import { enqueueAdhocRun, enqueueQueryRun } from '../../server/runs/enqueue'
import { RunInputError } from '../../server/runs/errors'
import { closeNotifications } from '../../server/runs/notifications'
import { RUN_QUEUE } from '../../server/queue/queues'
import { useDb } from '../../server/utils/db'
import { startApp, type RunningApp } from '../support/app'
import { buildOrg } from '../support/builders'
import { useTestDatabase } from '../support/database'
import { buildDatasource, waitForRun } from '../support/engine-builders'

let worker: RunningApp
let orgId: string
let datasourceId: string

async function countRunsWithSql(text: string) {
  const rows = await useDb().select({ id: runs.id }).from(runs).where(and(eq(runs.orgId, orgId), sql`${runs.sql} LIKE ${`%${text}%`}`))
  return rows.length
}

async function countRunJobs() {
  const { rows } = await useDb().execute(sql`SELECT count(*)::int AS count FROM pgboss.job WHERE name = ${RUN_QUEUE}`)
  return (rows[0] as { count: number }).count
}

beforeAll(async () => {
  const databaseUrl = await useTestDatabase()
  worker = await startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'worker' })
  orgId = (await buildOrg()).id
  datasourceId = (await buildDatasource(orgId, databaseUrl)).id
  // creates the queue schema (the worker may still be starting)
  await useBoss()
  await useDb().execute(sql.raw(`
    CREATE FUNCTION refuse_marked_run() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.sql LIKE '%refuse-at-commit%' THEN RAISE EXCEPTION 'refused at commit'; END IF;
      RETURN NEW;
    END $$;
    CREATE CONSTRAINT TRIGGER refuse_marked_run AFTER INSERT ON runs
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_marked_run();`))
})

afterAll(async () => {
  await worker?.stop()
  await stopBoss()
  await closeNotifications()
})

describe('enqueueing a run', () => {
  it('inserts a queued run and sends its job, which a worker then runs with the bound values', async () => {
    const jobsBefore = await countRunJobs()
    const { run, cached, joined } = await enqueueAdhocRun({
      orgId, datasourceId, trigger: 'user',
      sql: 'SELECT {{word}} AS word, {{n}} + 1 AS next',
      parameters: [{ name: 'word', type: 'text' }, { name: 'n', type: 'integer' }],
      params: { word: `x'); DROP TABLE runs; --`, n: 41 },
    })
    expect({ cached, joined, status: run.status }).toEqual({ cached: false, joined: false, status: 'queued' })
    expect(run.sql).toBe('SELECT $1::text AS word, $2::bigint + 1 AS next')
    expect(run.bindValues).toEqual([`x'); DROP TABLE runs; --`, '41'])
    expect(await countRunJobs()).toBe(jobsBefore + 1)
    expect(await waitForRun(run.id)).toMatchObject({ status: 'succeeded', rowCount: 1 })
  })

  it('leaves neither the run nor its job when the transaction fails at commit', async () => {
    const jobsBefore = await countRunJobs()
    await expect(enqueueAdhocRun({ orgId, datasourceId, trigger: 'user', sql: `SELECT 'refuse-at-commit'`, options: { maxAgeSeconds: 0 } }))
      .rejects.toMatchObject({ cause: { message: 'refused at commit' } })
    expect(await countRunsWithSql('refuse-at-commit')).toBe(0)
    expect(await countRunJobs()).toBe(jobsBefore)
  })

  it('answers a second identical request within the max age from the cache, without a new run', async () => {
    const input = { orgId, datasourceId, trigger: 'user' as const, sql: `SELECT 'cache me' AS label, generate_series(1, 3) AS n` }
    const first = await enqueueAdhocRun(input)
    await waitForRun(first.run.id)
    const second = await enqueueAdhocRun(input)
    expect(second).toMatchObject({ cached: true, joined: false, run: { id: first.run.id, status: 'succeeded' } })
    expect(await countRunsWithSql('cache me')).toBe(1)
    const refreshed = await enqueueAdhocRun({ ...input, options: { maxAgeSeconds: 0 } })
    expect(refreshed.cached).toBe(false)
    expect(refreshed.run.id).not.toBe(first.run.id)
    await waitForRun(refreshed.run.id)
  })

  it('serves a cached result only within the asked max age, and never one whose stored result expired', async () => {
    const input = { orgId, datasourceId, trigger: 'user' as const, sql: `SELECT 'aged result' AS label` }
    const first = await enqueueAdhocRun(input)
    await waitForRun(first.run.id)
    // finished an hour ago
    await useDb().update(runs).set({ finishedAt: sql`now() - interval '1 hour'` }).where(eq(runs.id, first.run.id))
    const withinTwoHours = await enqueueAdhocRun({ ...input, options: { maxAgeSeconds: 7200 } })
    expect(withinTwoHours).toMatchObject({ cached: true, run: { id: first.run.id } })
    // its stored result expired: not an answer, whatever the max age
    await useDb().update(results).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(results.runId, first.run.id))
    const afterExpiry = await enqueueAdhocRun({ ...input, options: { maxAgeSeconds: 7200 } })
    expect(afterExpiry.cached).toBe(false)
    expect(afterExpiry.run.id).not.toBe(first.run.id)
    await waitForRun(afterExpiry.run.id)
    await useDb().update(runs).set({ finishedAt: sql`now() - interval '1 hour'` }).where(eq(runs.id, afterExpiry.run.id))
    const withinTenMinutes = await enqueueAdhocRun({ ...input, options: { maxAgeSeconds: 600 } })
    expect(withinTenMinutes.cached).toBe(false)
    expect(withinTenMinutes.run.id).not.toBe(afterExpiry.run.id)
    await waitForRun(withinTenMinutes.run.id)
  })

  it('joins an identical run already in flight instead of starting another (single flight)', async () => {
    const input = { orgId, datasourceId, trigger: 'user' as const, sql: `SELECT 'slow one' AS label, pg_sleep(1.5)`, options: { maxAgeSeconds: 0 } }
    const results = await Promise.all([enqueueAdhocRun(input), enqueueAdhocRun(input), enqueueAdhocRun(input)])
    const ids = new Set(results.map(result => result.run.id))
    expect(ids.size).toBe(1)
    expect(results.filter(result => result.joined)).toHaveLength(2)
    expect(await countRunsWithSql('slow one')).toBe(1)
    await waitForRun(results[0]!.run.id)
  })

  it('gives different parameter values different cache keys', async () => {
    const base = { orgId, datasourceId, trigger: 'user' as const, sql: 'SELECT {{n}} AS n', parameters: [{ name: 'n', type: 'integer' as const }] }
    const one = await enqueueAdhocRun({ ...base, params: { n: 1 } })
    const two = await enqueueAdhocRun({ ...base, params: { n: 2 } })
    expect(one.run.cacheKey).not.toBe(two.run.cacheKey)
    await waitForRun(one.run.id)
    await waitForRun(two.run.id)
  })

  it('runs a saved query with its defaults, relative dates resolved in the given timezone', async () => {
    const [query] = await useDb().insert(queries).values({
      orgId, datasourceId, name: 'days',
      sql: 'SELECT {{range.start}} AS first_day, {{range.end}} AS last_day',
      parameters: [{ name: 'range', type: 'date_range', default: 'today' }],
    }).returning()
    const { run } = await enqueueQueryRun({ orgId, queryId: query!.id, trigger: 'schedule', timezone: 'Pacific/Kiritimati', maxAgeSeconds: 0 })
    // UTC+14: "today" there is never behind today in UTC
    const expected = new Intl.DateTimeFormat('en-CA', { timeZone: 'Pacific/Kiritimati' }).format(new Date())
    expect(run.bindValues).toEqual([expected, expected])
    expect(run).toMatchObject({ queryId: query!.id, queryVersion: 1, trigger: 'schedule' })
    await waitForRun(run.id)
  })

  it('refuses bad values with a 400 RunInputError that names each parameter, and queues nothing', async () => {
    const [query] = await useDb().insert(queries).values({
      orgId, datasourceId, name: 'typed', sql: 'SELECT {{n}}, {{day}}',
      parameters: [{ name: 'n', type: 'number', required: true }, { name: 'day', type: 'date' }],
    }).returning()
    const error = await enqueueQueryRun({ orgId, queryId: query!.id, trigger: 'user', params: { day: '1; DROP TABLE runs' } }).catch(caught => caught)
    expect(error).toBeInstanceOf(RunInputError)
    expect(error.statusCode).toBe(400)
    expect(error.issues.map((issue: { path: string }) => issue.path).sort()).toEqual(['params.day', 'params.n'])
    expect(await useDb().select().from(runs).where(eq(runs.queryId, query!.id))).toHaveLength(0)
  })

  it('answers another org\'s query and datasource as not found', async () => {
    const otherOrg = await buildOrg('Other')
    const [query] = await useDb().insert(queries).values({ orgId, datasourceId, name: 'mine', sql: 'SELECT 1' }).returning()
    await expect(enqueueQueryRun({ orgId: otherOrg.id, queryId: query!.id, trigger: 'user' })).rejects.toMatchObject({ statusCode: 404 })
    await expect(enqueueAdhocRun({ orgId: otherOrg.id, datasourceId, sql: 'SELECT 1', trigger: 'user' })).rejects.toMatchObject({ statusCode: 404 })
  })
})
