// The attack that made editors admins: a datasource connecting as a superuser (the demo
// one did) lets `COPY … TO PROGRAM` run shell commands on the database host, read-only
// transaction or not. These tests perform it and assert it fails, and that roles which
// may run programs or touch server files are refused unless an admin allows them.
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { datasources } from '../../db/schema'
import { postgresConnector } from '../../server/connectors/postgres'
import { encryptSecret } from '../../server/connectors/secrets'
import type { ConnectionSettings, ExecuteRequest } from '../../server/connectors/types'
import { DEMO_READER_ROLE } from '../../server/demo/reader-role'
import { adoptDemoReader, seedDemo, seedDemoDatabase } from '../../server/demo/seed'
import { stopBoss } from '../../server/queue/boss'
import { closeNotifications } from '../../server/runs/notifications'
import { useDb } from '../../server/utils/db'
import { startApp, type RunningApp } from '../support/app'
import { buildOrg } from '../support/builders'
import { queryDatabase, useTestDatabase } from '../support/database'
import { buildDatasource, insertQueuedRun, settingsForUrl, waitForRun } from '../support/engine-builders'

let databaseUrl: string
let worker: RunningApp
let orgId: string

const sourceQuery = (text: string) => queryDatabase(databaseUrl, text)

function request(sql: string): ExecuteRequest {
  return { runId: '00000000-0000-0000-0000-000000000002', sql, bindValues: [], timeoutMs: 10_000, lockTimeoutMs: 1_000 }
}

/** Settings that connect as `user` (made by the test) instead of the read-only test role. */
function settingsAs(user: string, password: string, allowPrivilegedRole = false): ConnectionSettings {
  const settings = settingsForUrl(databaseUrl)
  return { config: { ...settings.config, user }, password, allowPrivilegedRole }
}

function superuserSettings(allowPrivilegedRole = false): ConnectionSettings {
  const url = new URL(databaseUrl)
  return settingsAs(decodeURIComponent(url.username), decodeURIComponent(url.password), allowPrivilegedRole)
}

async function executeAll(settings: ConnectionSettings, sql: string) {
  const execution = await postgresConnector.execute(settings, request(sql))
  for await (const batch of execution.batches) void batch
  return execution.columns
}

/** A file path that COPY … TO PROGRAM 'touch …' would create if it ran. */
function pwnedFile(): string {
  return `/tmp/tessera-pwned-${randomBytes(6).toString('hex')}`
}

async function createRoleMemberOf(grant: string): Promise<{ user: string, password: string }> {
  const user = `tessera_priv_${randomBytes(4).toString('hex')}`
  const password = randomBytes(12).toString('hex')
  await sourceQuery(`CREATE ROLE ${user} LOGIN PASSWORD '${password}'`)
  await sourceQuery(`GRANT ${grant} TO ${user}`)
  return { user, password }
}

beforeAll(async () => {
  databaseUrl = await useTestDatabase()
  worker = await startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'worker' })
  orgId = (await buildOrg()).id
})

afterAll(async () => {
  await worker?.stop()
  await stopBoss()
  await closeNotifications()
})

describe('privileged datasource roles', () => {
  it('refuses to run, estimate or browse as a superuser, saying how to create a read-only role', async () => {
    const settings = superuserSettings()
    const refused = await executeAll(settings, 'SELECT 1').then(() => undefined, (error: Error & { code?: string }) => error)
    expect(refused?.code).toBe('42501')
    expect(refused?.message).toMatch(/refuses to run SQL as role "\w+": it is a superuser/)
    expect(refused?.message).toContain('GRANT pg_read_all_data TO tessera_reader')
    await expect(postgresConnector.estimate(settings, request('SELECT 1'))).rejects.toMatchObject({ code: '42501' })
    await expect(postgresConnector.introspect(settings)).rejects.toMatchObject({ code: '42501' })
    const tested = await postgresConnector.test(settings)
    expect(tested).toMatchObject({ ok: false, error: expect.stringMatching(/superuser.*read-only role/) })
  })

  it('runs as a superuser only when the datasource explicitly allows a privileged role, and the test says so', async () => {
    expect(await executeAll(superuserSettings(true), 'SELECT 1 AS one')).toEqual([{ name: 'one', type: 'int4' }])
    const tested = await postgresConnector.test(superuserSettings(true))
    expect(tested.ok).toBe(true)
    expect(tested.warnings.join(' ')).toMatch(/superuser.*allows a privileged role/)
  })

  it.each(['pg_execute_server_program', 'pg_write_server_files', 'pg_read_server_files'])('refuses a role that is a member of %s', async (grant) => {
    const role = await createRoleMemberOf(grant)
    await expect(executeAll(settingsAs(role.user, role.password), 'SELECT 1')).rejects.toMatchObject({ code: '42501', message: expect.stringContaining(grant) })
  })

  it('refuses a role that could SET ROLE to a superuser role it does not inherit from', async () => {
    const superRole = `tessera_super_${randomBytes(4).toString('hex')}`
    await sourceQuery(`CREATE ROLE ${superRole} SUPERUSER NOLOGIN`)
    const role = await createRoleMemberOf(superRole)
    await sourceQuery(`ALTER ROLE ${role.user} NOINHERIT`)
    await expect(executeAll(settingsAs(role.user, role.password), 'SELECT 1')).rejects.toMatchObject({ code: '42501', message: expect.stringContaining('superuser') })
  })

  it('runs no program through COPY … TO PROGRAM on a superuser datasource without the override', async () => {
    const datasource = await buildDatasource(orgId, databaseUrl)
    const { config } = superuserSettings()
    const url = new URL(databaseUrl)
    await useDb().update(datasources).set({ config: config as never, encryptedPassword: encryptSecret(decodeURIComponent(url.password)) }).where(eq(datasources.id, datasource.id))
    const file = pwnedFile()
    const run = await insertQueuedRun({ orgId, datasourceId: datasource.id, sql: `COPY (SELECT 1) TO PROGRAM 'touch ${file}'` })
    const finished = await waitForRun(run.id)
    expect(finished.status).toBe('failed')
    expect(finished.error).toMatch(/superuser/)
    expect(existsSync(file)).toBe(false)
  })

  it('gives the demo datasource its own reader role: COPY … TO PROGRAM is refused and only the demo schema is readable', async () => {
    const demo = await seedDemo(orgId, databaseUrl)
    const file = pwnedFile()
    const copy = await waitForRun((await insertQueuedRun({ orgId, datasourceId: demo.datasourceId, sql: `COPY (SELECT 1) TO PROGRAM 'touch ${file}'` })).id)
    expect(copy.status).toBe('failed')
    expect(copy.error).toMatch(/permission denied|must be superuser|pg_execute_server_program/i)
    expect(existsSync(file)).toBe(false)
    // the demo schema here shares the test's metadata database: Tessera's tables stay out of reach
    const users = await waitForRun((await insertQueuedRun({ orgId, datasourceId: demo.datasourceId, sql: 'SELECT email, password_hash FROM users' })).id)
    expect(users).toMatchObject({ status: 'failed', error: expect.stringMatching(/permission denied/) })
    const outages = await waitForRun((await insertQueuedRun({ orgId, datasourceId: demo.datasourceId, sql: 'SELECT count(*) FROM ops.outages' })).id)
    expect(outages.status).toBe('succeeded')
  })

  it('moves a demo datasource made before the reader role (connecting as the superuser) onto the reader role at start-up', async () => {
    // the sample data, whether or not the seeding test ran first (it seeds only once)
    await seedDemoDatabase(databaseUrl)
    const otherOrg = (await buildOrg('Older install')).id
    const url = new URL(databaseUrl)
    const [old] = await useDb().insert(datasources).values({
      orgId: otherOrg, name: 'Demo ops database', type: 'postgres',
      config: superuserSettings().config as never, encryptedPassword: encryptSecret(decodeURIComponent(url.password)),
    }).returning()
    await adoptDemoReader(databaseUrl)
    const [moved] = await useDb().select().from(datasources).where(eq(datasources.id, old!.id))
    expect(moved!.config.user).toBe(DEMO_READER_ROLE)
    const run = await waitForRun((await insertQueuedRun({ orgId: otherOrg, datasourceId: old!.id, sql: 'SELECT count(*) FROM ops.regions' })).id)
    expect(run.status).toBe('succeeded')
  })
})
