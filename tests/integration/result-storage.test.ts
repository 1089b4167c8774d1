import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import { eq, inArray } from 'drizzle-orm'
import S3rver from 's3rver'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queries, results, runs } from '../../db/schema'
import { stopBoss } from '../../server/queue/boss'
import { getResultMeta, readResultPage, streamResultRows } from '../../server/results/read'
import { applyRetention } from '../../server/results/retention'
import { useDb, usePool } from '../../server/utils/db'
import { startApp, type RunningApp } from '../support/app'
import { buildOrg } from '../support/builders'
import { useTestDatabase, queryDatabase } from '../support/database'
import { freePort } from '../../scripts/free-port.mjs'
import { buildDatasource, insertQueuedRun, waitForRun } from '../support/engine-builders'

const BUCKET = 'tessera-results'
let s3Directory: string
let s3Server: S3rver
let s3Env: Record<string, string>
let databaseUrl: string
let worker: RunningApp
let orgId: string
let datasourceId: string

async function objectKeys(prefix: string): Promise<string[]> {
  const client = new S3Client({ region: 'us-east-1', endpoint: s3Env.TESSERA_S3_ENDPOINT, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } })
  const listing = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }))
  return (listing.Contents ?? []).map(object => object.Key!)
}

const sourceQuery = (text: string) => queryDatabase(databaseUrl, text)

beforeAll(async () => {
  s3Directory = await mkdtemp(join(tmpdir(), 'tessera-s3-'))
  const port = await freePort()
  s3Server = new S3rver({ port, address: '127.0.0.1', directory: s3Directory, silent: true, configureBuckets: [{ name: BUCKET, configs: [] }] })
  await s3Server.run()
  s3Env = {
    TESSERA_S3_ENDPOINT: `http://127.0.0.1:${port}`,
    TESSERA_S3_BUCKET: BUCKET,
    TESSERA_S3_ACCESS_KEY_ID: 'S3RVER',
    TESSERA_S3_SECRET_ACCESS_KEY: 'S3RVER',
    TESSERA_S3_FORCE_PATH_STYLE: 'true',
    TESSERA_S3_THRESHOLD_BYTES: '20000',
    TESSERA_RESULT_CHUNK_ROWS: '500',
  }
  // this process reads pages back from the same S3 the worker writes to
  Object.assign(process.env, s3Env)
  databaseUrl = await useTestDatabase()
  // retention every minute, so a test can watch the worker's own cron job do it
  worker = await startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'worker', TESSERA_RETENTION_CRON: '* * * * *', ...s3Env })
  orgId = (await buildOrg()).id
  datasourceId = (await buildDatasource(orgId, databaseUrl)).id
  await sourceQuery(`CREATE TABLE wide AS SELECT g AS n, md5(g::text) AS hash, repeat('x', g % 50) AS pad FROM generate_series(1, 20000) g`)
})

afterAll(async () => {
  await worker?.stop()
  await stopBoss()
  await s3Server?.close()
  await rm(s3Directory, { recursive: true, force: true })
})

describe('result storage', () => {
  it('stores chunks longer than the writer\'s first buffer (1 MiB), rows of any size in between, byte for byte', async () => {
    // 500-row chunks of 3.2 KB rows are 1.6 MB of text; row 700 holds two 900 KB values
    const sql = `SELECT n, CASE WHEN n = 700 THEN repeat('a', 900000) ELSE repeat(md5(n::text), 100) END AS big,
      CASE WHEN n = 700 THEN repeat('b', 900000) END AS other FROM generate_series(1, 1200) n ORDER BY n`
    const finished = await waitForRun((await insertQueuedRun({ orgId, datasourceId, sql })).id)
    expect(finished, finished.error ?? undefined).toMatchObject({ status: 'succeeded', rowCount: 1200 })
    const { createHash } = await import('node:crypto')
    const expected = (n: number) => [n, createHash('md5').update(String(n)).digest('hex').repeat(100), null]
    for (const offset of [0, 495, 1195]) {
      expect((await readResultPage(orgId, finished.id, offset, 5))!.rows).toEqual([0, 1, 2, 3, 4].map(index => expected(offset + 1 + index)))
    }
    expect((await readResultPage(orgId, finished.id, 699, 1))!.rows).toEqual([[700, 'a'.repeat(900000), 'b'.repeat(900000)]])
    expect((await readResultPage(orgId, finished.id, 700, 1))!.rows).toEqual([expected(701)])
  })

  it('keeps a result under the threshold in Postgres', async () => {
    const finished = await waitForRun((await insertQueuedRun({ orgId, datasourceId, sql: 'SELECT n FROM wide WHERE n <= 700 ORDER BY n' })).id)
    expect(await getResultMeta(orgId, finished.id)).toMatchObject({ storage: 'postgres', objectPrefix: null, chunkCount: 2, rowCount: 700 })
    expect((await readResultPage(orgId, finished.id, 690, 50))!.rows).toEqual(Array.from({ length: 10 }, (_, index) => [691 + index]))
  })

  it('moves a result over the threshold to S3, one object per chunk, and reads pages back', async () => {
    const finished = await waitForRun((await insertQueuedRun({ orgId, datasourceId, sql: 'SELECT n, hash, pad FROM wide ORDER BY n' })).id)
    expect(finished, finished.error ?? undefined).toMatchObject({ status: 'succeeded', rowCount: 20000 })
    const meta = (await getResultMeta(orgId, finished.id))!
    expect(meta).toMatchObject({ storage: 's3', chunkCount: 40, rowCount: 20000 })
    expect(await objectKeys(meta.objectPrefix!)).toHaveLength(40)
    const { rows: chunksInPostgres } = await usePool().query('SELECT 1 FROM result_chunks WHERE run_id = $1', [finished.id])
    expect(chunksInPostgres).toHaveLength(0)
    const page = await readResultPage(orgId, finished.id, 12_345, 3)
    expect(page!.rows).toEqual((await sourceQuery('SELECT n, hash, pad FROM wide WHERE n BETWEEN 12346 AND 12348 ORDER BY n')).rows.map(row => [row.n, row.hash, row.pad]))
    let streamed = 0
    for await (const chunk of streamResultRows((await getResultMeta(orgId, finished.id))!)) streamed += chunk.length
    expect(streamed).toBe(20000)
  })

  it('deletes expired results and their S3 objects but keeps the latest succeeded result of each query', async () => {
    const [query] = await useDb().insert(queries).values({ orgId, datasourceId, name: 'Wide', sql: 'SELECT * FROM wide' }).returning()
    const older = await waitForRun((await insertQueuedRun({ orgId, datasourceId, queryId: query!.id, sql: 'SELECT n, hash, pad FROM wide ORDER BY n' })).id)
    const latest = await waitForRun((await insertQueuedRun({ orgId, datasourceId, queryId: query!.id, sql: 'SELECT n, hash, pad FROM wide ORDER BY n' })).id)
    const adHoc = await waitForRun((await insertQueuedRun({ orgId, datasourceId, sql: 'SELECT 1 AS one' })).id)
    const olderPrefix = (await getResultMeta(orgId, older.id))!.objectPrefix!
    const latestPrefix = (await getResultMeta(orgId, latest.id))!.objectPrefix!
    expect(await objectKeys(olderPrefix)).toHaveLength(40)
    // one transaction, so the worker's own retention pass sees both changes or neither
    await useDb().transaction(async (transaction) => {
      await transaction.update(results).set({ expiresAt: new Date(Date.now() - 1000) })
      // and make the runs older than the run retention, so only "latest of its query" protects them
      await transaction.update(runs).set({ queuedAt: new Date(Date.now() - 400 * 86_400_000) }).where(eq(runs.queryId, query!.id))
    })

    await applyRetention()

    expect(await getResultMeta(orgId, older.id)).toBeUndefined()
    expect(await getResultMeta(orgId, adHoc.id)).toBeUndefined()
    expect(await objectKeys(olderPrefix)).toHaveLength(0)
    expect(await getResultMeta(orgId, latest.id)).toMatchObject({ storage: 's3', rowCount: 20000 })
    expect(await objectKeys(latestPrefix)).toHaveLength(40)
    expect((await readResultPage(orgId, latest.id, 0, 1))!.rows).toEqual([[1, expect.any(String), 'x']])
    const remaining = await useDb().select({ id: runs.id }).from(runs).where(eq(runs.queryId, query!.id))
    expect(remaining.map(run => run.id)).toEqual([latest.id])
  })

  it('deletes expired results from the worker\'s retention cron job, without being called', async () => {
    const [query] = await useDb().insert(queries).values({ orgId, datasourceId, name: 'Kept', sql: 'SELECT 2 AS two' }).returning()
    const latest = await waitForRun((await insertQueuedRun({ orgId, datasourceId, queryId: query!.id, sql: 'SELECT 2 AS two' })).id)
    const adHoc = await waitForRun((await insertQueuedRun({ orgId, datasourceId, sql: 'SELECT 3 AS three' })).id)
    await useDb().update(results).set({ expiresAt: new Date(Date.now() - 1000) }).where(inArray(results.runId, [latest.id, adHoc.id]))
    // the cron fires once a minute (plus pg-boss's 30-second cron pass): wait out two slots at most
    const deadline = Date.now() + 150_000
    while (await getResultMeta(orgId, adHoc.id)) {
      if (Date.now() > deadline) throw new Error('the worker\'s retention job did not delete the expired result within 150 s')
      await new Promise(done => setTimeout(done, 500))
    }
    expect(await getResultMeta(orgId, latest.id)).toMatchObject({ rowCount: 1 })
  }, 180_000)
})
