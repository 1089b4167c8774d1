// The estimate escape: `EXPLAIN (FORMAT JSON) ${sql}` without values went out as one
// simple-protocol message, so `select 1; commit; insert …` committed the insert, and it
// ran in the web process. These tests perform those attacks over HTTP and assert they
// fail, that estimates are answered by a worker only, and that runs and estimates share
// one statement check.
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { seedDemo } from '../../server/demo/seed'
import { startApp, type RunningApp } from '../support/app'
import { buildMember, buildOrg, TEST_PASSWORD } from '../support/builders'
import { queryDatabase, useTestDatabase } from '../support/database'
import { buildDatasource } from '../support/engine-builders'
import { ApiClient } from '../support/http'

let databaseUrl: string
let web: RunningApp
let worker: RunningApp
let editor: ApiClient
let datasourceId: string
let demoDatasourceId: string

const sourceQuery = (text: string) => queryDatabase(databaseUrl, text)
const targetCount = async () => (await sourceQuery('SELECT count(*)::int AS n FROM target')).rows[0].n as number

async function signedIn(url: string, orgId: string) {
  const member = await buildMember(orgId, 'editor')
  const client = new ApiClient(url)
  await client.login(member.email, TEST_PASSWORD)
  return client
}

beforeAll(async () => {
  databaseUrl = await useTestDatabase()
  ;[web, worker] = await Promise.all([
    startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'web' }),
    startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'worker' }),
  ])
  const orgId = (await buildOrg()).id
  editor = await signedIn(web.url, orgId)
  datasourceId = (await buildDatasource(orgId, databaseUrl)).id
  demoDatasourceId = (await seedDemo(orgId, databaseUrl)).datasourceId
  await sourceQuery('CREATE TABLE target (id int); INSERT INTO target VALUES (1), (2)')
})

afterAll(async () => {
  await Promise.all([web?.stop(), worker?.stop()])
})

describe('estimates and the one-statement rule', () => {
  it('refuses a multi-statement estimate with a write before anything is sent, leaving the table unchanged', async () => {
    const attacks = [
      'select 1; commit; insert into target values (99)',
      'select 1; commit; update target set id = 0',
      'select 1; commit; drop table target',
      'rollback; begin; insert into target values (98); commit',
      'select 1; commit; select pg_sleep(40)',
    ]
    for (const sql of attacks) {
      const response = await editor.post('/api/runs/estimate', { datasourceId, sql })
      expect(response.status, sql).toBe(400)
      expect(response.json.message, sql).toMatch(/Only one statement/)
      expect(response.json.data.issues[0].path).toBe('sql')
    }
    expect(await targetCount()).toBe(2)
  })

  it('writes no file through COPY … TO PROGRAM in an estimate on the demo datasource', async () => {
    const file = `/tmp/tessera-pwned-${randomBytes(6).toString('hex')}`
    const alone = await editor.post('/api/runs/estimate', { datasourceId: demoDatasourceId, sql: `COPY (SELECT 1) TO PROGRAM 'touch ${file}'` })
    expect(alone.status).toBe(422)
    const behind = await editor.post('/api/runs/estimate', { datasourceId: demoDatasourceId, sql: `SELECT 1; COPY (SELECT 1) TO PROGRAM 'touch ${file}'` })
    expect(behind.status).toBe(400)
    const run = await editor.post('/api/runs', { datasourceId: demoDatasourceId, sql: `COPY (SELECT 1) TO PROGRAM 'touch ${file}'`, options: { maxAgeSeconds: 0 } })
    expect(run.status).toBe(202)
    for (let waited = 0; waited < 30_000; waited += 100) {
      const { json } = await editor.get(`/api/runs/${run.json.id}`)
      if (json.status === 'failed') break
      await new Promise(done => setTimeout(done, 100))
    }
    expect((await editor.get(`/api/runs/${run.json.id}`)).json).toMatchObject({ status: 'failed', error: expect.stringMatching(/permission denied|pg_execute_server_program/i) })
    expect(existsSync(file)).toBe(false)
  })

  it('refuses several statements and blank SQL for runs too, with a 400 before a run exists', async () => {
    for (const sql of ['select 1; delete from target', '   \n\t ', '-- just a comment']) {
      const response = await editor.post('/api/runs', { datasourceId, sql })
      expect(response.status, JSON.stringify(sql)).toBe(400)
      expect((await editor.post('/api/runs/estimate', { datasourceId, sql })).status, JSON.stringify(sql)).toBe(400)
    }
    expect(await targetCount()).toBe(2)
  })

  it('still estimates one statement with bound values', async () => {
    const response = await editor.post('/api/runs/estimate', { datasourceId, sql: 'SELECT * FROM target WHERE id > {{n}}', parameters: [{ name: 'n', type: 'integer' }], params: { n: 0 } })
    expect(response.status, response.text).toBe(200)
    expect(response.json).toMatchObject({ rows: expect.any(Number), cost: expect.any(Number), plan: expect.stringContaining('Seq Scan') })
  })

  it('is answered by a worker, never by the web: with no worker, an estimate waits out its bound and no connection is opened', async () => {
    await worker.stop()
    // the other tests need a worker, whichever order they run in
    onTestFinished(async () => {
      worker = await startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'worker' })
    })
    let estimateConnections = 0
    let waiting = true
    const watcher = (async () => {
      while (waiting) {
        const { rows } = await sourceQuery(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE 'tessera-estimate%'`)
        estimateConnections = Math.max(estimateConnections, rows[0].n)
        await new Promise(done => setTimeout(done, 100))
      }
    })()
    const response = await editor.post('/api/runs/estimate', { datasourceId, sql: 'SELECT * FROM target', options: { timeoutMs: 1000 } })
    waiting = false
    await watcher
    expect(response.status).toBe(503)
    expect(response.json.message).toMatch(/No worker picked up the estimate/)
    expect(estimateConnections).toBe(0)
    // the web sent a job (then cancelled it) instead of planning the SQL itself
    const { rows } = await sourceQuery(`SELECT state FROM pgboss.job WHERE name = 'estimate' ORDER BY created_on DESC LIMIT 1`)
    expect(rows[0].state).toBe('cancelled')
  })
})
