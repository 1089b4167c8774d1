import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type RunningApp } from '../support/app'
import { buildMember, buildOrg, TEST_PASSWORD } from '../support/builders'
import { useTestDatabase } from '../support/database'
import { ApiClient } from '../support/http'

let web: RunningApp
let databaseUrl: string
let admin: ApiClient
let viewer: ApiClient

beforeAll(async () => {
  databaseUrl = await useTestDatabase()
  const org = await buildOrg()
  web = await startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'web' })
  admin = new ApiClient(web.url)
  await admin.login((await buildMember(org.id, 'admin')).email, TEST_PASSWORD)
  viewer = new ApiClient(web.url)
  await viewer.login((await buildMember(org.id, 'viewer')).email, TEST_PASSWORD)
})
afterAll(() => web?.stop())

async function waitFor(check: () => Promise<boolean>) {
  const deadline = Date.now() + 20_000
  while (Date.now() < deadline) {
    if (await check()) return
    await new Promise(done => setTimeout(done, 200))
  }
  throw new Error('condition not met in time')
}

describe('machinery health', () => {
  it('tells every user whether a worker is alive, and admins which ones', async () => {
    expect((await viewer.get('/api/status/workers')).json.alive).toBe(false)

    const worker = await startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'worker' })
    try {
      await waitFor(async () => (await viewer.get('/api/status/workers')).json.alive === true)
      const status = await admin.get('/api/admin/status')
      expect(status.status).toBe(200)
      expect(status.json.workersAlive).toBe(1)
      expect(status.json.workers[0].pid).toBe(worker.process.pid)
      expect(status.json.scheduler).toMatchObject({ lagSeconds: 0, dueSchedules: 0 })
      expect((await viewer.get('/api/admin/status')).status).toBe(403)
    }
    finally {
      await worker.stop('SIGTERM')
    }
    // a clean stop removes the worker at once, so the banner shows without waiting a minute
    expect((await viewer.get('/api/status/workers')).json.alive).toBe(false)
  })
})
