// Run quotas: past a user's or an org's limit of runs queued or running, or started per
// minute, the API answers 429 with Retry-After. No worker runs here, so runs stay queued.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { stopBoss } from '../../server/queue/boss'
import { startApp, type RunningApp } from '../support/app'
import { buildMember, buildOrg, TEST_PASSWORD } from '../support/builders'
import { useTestDatabase } from '../support/database'
import { buildDatasource } from '../support/engine-builders'
import { ApiClient } from '../support/http'

let web: RunningApp
let databaseUrl: string

async function signedIn(orgId: string) {
  const member = await buildMember(orgId, 'editor')
  const client = new ApiClient(web.url)
  await client.login(member.email, TEST_PASSWORD)
  return client
}

beforeAll(async () => {
  databaseUrl = await useTestDatabase()
  web = await startApp({
    DATABASE_URL: databaseUrl,
    TESSERA_QUOTA_USER_ACTIVE_RUNS: '3',
    TESSERA_QUOTA_ORG_ACTIVE_RUNS: '5',
    TESSERA_QUOTA_USER_RUNS_PER_MINUTE: '6',
    TESSERA_QUOTA_ORG_RUNS_PER_MINUTE: '100',
  })
})

afterAll(async () => {
  await web?.stop()
  await stopBoss()
})

describe('run quotas', () => {
  it('refuses a user\'s fourth active run with 429 and Retry-After, and the org\'s sixth from another user', async () => {
    const org = await buildOrg()
    const datasource = await buildDatasource(org.id, databaseUrl)
    const first = await signedIn(org.id)
    const second = await signedIn(org.id)
    const run = (client: ApiClient, n: number) => client.post('/api/runs', { datasourceId: datasource.id, sql: `SELECT ${n}` })
    for (let n = 0; n < 3; n++) expect((await run(first, n)).status).toBe(202)
    const refused = await run(first, 3)
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(refused.json.message).toContain('TESSERA_QUOTA_USER_ACTIVE_RUNS')
    // an identical run joins the one in flight: no new run, so no quota is spent
    expect((await run(first, 0)).status).toBe(202)
    for (let n = 10; n < 12; n++) expect((await run(second, n)).status).toBe(202)
    const orgRefused = await run(second, 12)
    expect(orgRefused.status).toBe(429)
    expect(orgRefused.json.message).toContain('TESSERA_QUOTA_ORG_ACTIVE_RUNS')
  })

  it('refuses a user\'s seventh run within a minute, finished or not, with a Retry-After of at most 60 s', async () => {
    const org = await buildOrg()
    const datasource = await buildDatasource(org.id, databaseUrl)
    const client = await signedIn(org.id)
    for (let n = 0; n < 6; n++) {
      const started = await client.post('/api/runs', { datasourceId: datasource.id, sql: `SELECT ${n}` })
      expect(started.status).toBe(202)
      // canceled at once, so only the per-minute quota can refuse
      expect((await client.post(`/api/runs/${started.json.id}/cancel`)).status).toBeLessThan(300)
    }
    const refused = await client.post('/api/runs', { datasourceId: datasource.id, sql: 'SELECT 6' })
    expect(refused.status).toBe(429)
    const retryAfter = Number(refused.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThan(0)
    expect(retryAfter).toBeLessThanOrEqual(60)
    expect(refused.json.message).toContain('TESSERA_QUOTA_USER_RUNS_PER_MINUTE')
  })
})
