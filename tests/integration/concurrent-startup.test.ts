import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { migrateDatabase } from '../../db/migrate'
import { createEmptyDatabase, queryDatabase } from '../support/database'
import { startApp, type RunningApp } from '../support/app'

const WEB_PROCESSES = 3

const FIRST_ADMIN_EMAIL = 'first@example.test'

function startWebProcesses(databaseUrl: string): Promise<RunningApp>[] {
  const env = { DATABASE_URL: databaseUrl, APP_ROLE: 'web', TESSERA_ADMIN_EMAIL: FIRST_ADMIN_EMAIL }
  return Array.from({ length: WEB_PROCESSES }, () => startApp(env))
}

/** Every process answers; the database holds one org, one user, one admin membership; the printed password signs in. */
async function expectOneOrgAndAdmin(databaseUrl: string, starting: Promise<RunningApp>[]) {
  const started = await Promise.allSettled(starting)
  const apps = started.flatMap(outcome => (outcome.status === 'fulfilled' ? [outcome.value] : []))
  try {
    const crashes = started.flatMap(outcome => (outcome.status === 'rejected' ? [String(outcome.reason)] : []))
    expect(crashes).toEqual([])
    for (const app of apps) expect((await fetch(`${app.url}/api/healthz`)).status).toBe(200)
    expect((await queryDatabase(databaseUrl, 'SELECT id FROM orgs')).rows).toHaveLength(1)
    expect((await queryDatabase(databaseUrl, 'SELECT email FROM users')).rows).toEqual([{ email: FIRST_ADMIN_EMAIL }])
    expect((await queryDatabase(databaseUrl, 'SELECT role FROM memberships')).rows).toEqual([{ role: 'admin' }])
    const printed = apps.map(app => app.output().match(/Password:\s+(\S+)/)?.[1]).filter(Boolean)
    expect(printed).toHaveLength(1)
    const login = await fetch(`${apps[0]!.url}/api/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: FIRST_ADMIN_EMAIL, password: printed[0] }),
    })
    expect(login.status).toBe(200)
  }
  finally {
    await Promise.all(apps.map(app => app.stop()))
  }
}

describe('several web processes starting together on an empty database', () => {
  it('all become healthy and make exactly one org with one admin, whose password one of them prints', async () => {
    const databaseUrl = await createEmptyDatabase()
    await expectOneOrgAndAdmin(databaseUrl, startWebProcesses(databaseUrl))
  })

  it('make one org and one admin even when every one of them finds no user before any has made one', async () => {
    // Migrated but without org or user. Inserts into orgs are held up until every process
    // has got as far as it can: each has then looked for a user (or waits for its turn to),
    // which on a real start happens only when they come up within milliseconds.
    const databaseUrl = await createEmptyDatabase()
    await migrateDatabase(databaseUrl, 'db/migrations')
    const holder = new pg.Client({ connectionString: databaseUrl })
    await holder.connect()
    await holder.query('BEGIN')
    await holder.query('LOCK TABLE orgs IN SHARE ROW EXCLUSIVE MODE')
    const starting = startWebProcesses(databaseUrl)
    let notAllWaited: unknown
    try {
      await waitForLockWaiters(holder, WEB_PROCESSES)
    }
    catch (error) {
      notAllWaited = error
    }
    finally {
      // ends the holder's transaction, and with it the lock
      await holder.end()
    }
    await expectOneOrgAndAdmin(databaseUrl, starting)
    if (notAllWaited) throw notAllWaited
  })
})

async function waitForLockWaiters(client: pg.Client, count: number) {
  const deadline = Date.now() + 60_000
  for (;;) {
    // inside a transaction the activity view is read once and then repeated: read it afresh
    await client.query('SELECT pg_stat_clear_snapshot()')
    const { rows: [waiting] } = await client.query(`
      SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'`)
    if (waiting.n >= count) return
    if (Date.now() > deadline) throw new Error(`only ${waiting.n} of ${count} processes reached the first admin's creation`)
    await new Promise(done => setTimeout(done, 50))
  }
}
