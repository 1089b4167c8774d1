import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { and, eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditLog } from '../../db/schema'
import { deleteOldAuditRows } from '../../server/audit/retention'
import { auditedRoutes, unauditedRoutes } from '../../server/audit/route-actions'
import { useDb } from '../../server/utils/db'
import { startApp, type RunningApp } from '../support/app'
import { buildMember, buildOrg, grantEveryone, TEST_PASSWORD } from '../support/builders'
import { queryDatabase, useTestDatabase } from '../support/database'
import { settingsForUrl } from '../support/engine-builders'
import { ApiClient } from '../support/http'
import { listApiRoutes } from '../support/api-routes'

let databaseUrl: string
let web: RunningApp
let worker: RunningApp
let orgId: string
let admin: ApiClient
let viewer: ApiClient
let viewerId: string
let queryId: string
let datasourceId: string

type AuditRowRecord = typeof auditLog.$inferSelect

async function signedIn(inOrg: string, role: 'viewer' | 'editor' | 'admin') {
  const member = await buildMember(inOrg, role)
  const client = new ApiClient(web.url)
  await client.login(member.email, TEST_PASSWORD)
  return { member, client }
}

async function waitForFinish(client: ApiClient, runId: string) {
  const deadline = Date.now() + 30_000
  for (;;) {
    const { json } = await client.get(`/api/runs/${runId}`)
    if (['succeeded', 'failed', 'canceled', 'timed_out'].includes(json.status)) return json
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${json.status}`)
    await new Promise(done => setTimeout(done, 50))
  }
}

/**
 * The rows matching `where` once there are `count` of them, checked again a moment later:
 * some rows are written after the answer is sent (streamed exports), and "exactly one"
 * must also mean no second row trailing behind the first.
 */
async function auditRowsSettled(where: ReturnType<typeof and>, count: number): Promise<AuditRowRecord[]> {
  const read = () => useDb().select().from(auditLog).where(where)
  const deadline = Date.now() + 10_000
  let rows = await read()
  while (rows.length < count && Date.now() < deadline) {
    await new Promise(done => setTimeout(done, 50))
    rows = await read()
  }
  await new Promise(done => setTimeout(done, 300))
  return read()
}

beforeAll(async () => {
  databaseUrl = await useTestDatabase()
  ;[web, worker] = await Promise.all([
    startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'web' }),
    startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'worker' }),
  ])
  orgId = (await buildOrg()).id
  ;({ client: admin } = await signedIn(orgId, 'admin'))
  const signedInViewer = await signedIn(orgId, 'viewer')
  viewer = signedInViewer.client
  viewerId = signedInViewer.member.id
  const settings = settingsForUrl(databaseUrl)
  const datasource = await admin.post('/api/datasources', { name: 'Audit DB', type: 'postgres', config: { ...settings.config, password: settings.password } })
  expect(datasource.status, datasource.text).toBe(201)
  datasourceId = datasource.json.id
  await grantEveryone(orgId, datasourceId)
  const query = await admin.post('/api/queries', { name: 'audited', datasourceId: datasource.json.id, sql: 'SELECT 1 AS one' })
  expect(query.status, query.text).toBe(201)
  queryId = query.json.id
})

afterAll(async () => {
  await Promise.all([web?.stop(), worker?.stop()])
})

describe('what leaves exactly one audit row, with the right actor', () => {
  it('a run started by a viewer: one run.start row naming the viewer, the query and the datasource', async () => {
    const started = await viewer.post(`/api/queries/${queryId}/runs`, { maxAgeSeconds: 0 })
    expect(started.status, started.text).toBe(202)
    const rows = await auditRowsSettled(and(eq(auditLog.targetId, started.json.id), eq(auditLog.action, 'run.start')), 1)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ orgId, actorType: 'user', userId: viewerId, apiTokenId: null, targetType: 'run', outcome: 'success' })
    expect(rows[0]!.details).toMatchObject({ trigger: 'user', queryId })
  })

  it('an export downloaded by a viewer: one export.download row naming the viewer and the run', async () => {
    const started = await viewer.post(`/api/queries/${queryId}/runs`, { maxAgeSeconds: 0 })
    await waitForFinish(viewer, started.json.id)
    const download = await viewer.get(`/api/runs/${started.json.id}/result.csv`)
    expect(download.status).toBe(200)
    const rows = await auditRowsSettled(and(eq(auditLog.targetId, started.json.id), eq(auditLog.action, 'export.download')), 1)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ orgId, actorType: 'user', userId: viewerId, targetType: 'run', outcome: 'success' })
  })

  it('a failed sign-in: one auth.sign_in_failed row filed under the account\'s org, never the password', async () => {
    const member = await buildMember(orgId, 'editor')
    const response = await new ApiClient(web.url).post('/api/auth/login', { email: member.email, password: 'not the password' })
    expect(response.status).toBe(401)
    const rows = await auditRowsSettled(and(eq(auditLog.targetId, member.id), eq(auditLog.action, 'auth.sign_in_failed')), 1)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ orgId, actorType: 'user', userId: member.id, targetType: 'user', outcome: 'failure' })
    expect(JSON.stringify(rows[0])).not.toContain('not the password')
  })
})

describe('GET /api/audit', () => {
  let subject: { id: string, email: string }
  const made: string[] = []

  beforeAll(async () => {
    // a fresh editor's trail: three changes to three queries, newest last
    const editor = await signedIn(orgId, 'editor')
    subject = editor.member
    for (const name of ['first', 'second', 'third']) {
      const created = await editor.client.post('/api/queries', { name, datasourceId, sql: 'SELECT 2 AS two' })
      expect(created.status, created.text).toBe(201)
      made.push(created.json.id)
    }
    await auditRowsSettled(and(eq(auditLog.userId, subject.id), eq(auditLog.action, 'query.create')), 3)
  })

  it('pages the rows matching a filter newest first, the cursor leading to the next page until none is left', async () => {
    const first = await admin.get(`/api/audit?actor=${subject.id}&action=query.create&limit=2`)
    expect(first.status, first.text).toBe(200)
    expect(first.json.rows.map((row: { targetId: string }) => row.targetId)).toEqual([made[2], made[1]])
    expect(first.json.rows[0]).toMatchObject({ actorType: 'user', userId: subject.id, userEmail: subject.email, targetType: 'query', outcome: 'success' })
    expect(first.json.rows[0].createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/)
    expect(first.json.nextCursor).toEqual(expect.any(String))
    const second = await admin.get(`/api/audit?actor=${subject.id}&action=query.create&limit=2&cursor=${first.json.nextCursor}`)
    expect(second.json.rows.map((row: { targetId: string }) => row.targetId)).toEqual([made[0]])
    expect(second.json.nextCursor).toBeNull()
  })

  it('filters by actor email, action prefix, target type and id, and time range', async () => {
    const byEmail = await admin.get(`/api/audit?actor=${encodeURIComponent(subject.email.toUpperCase())}`)
    expect(byEmail.json.rows.length).toBeGreaterThanOrEqual(4) // sign-in and three creations
    expect(byEmail.json.rows.every((row: { userId: string }) => row.userId === subject.id)).toBe(true)

    const byPrefix = await admin.get(`/api/audit?actor=${subject.id}&action=query.`)
    expect(byPrefix.json.rows).toHaveLength(3)
    // without the trailing dot an action matches exactly
    expect((await admin.get(`/api/audit?actor=${subject.id}&action=query`)).json.rows).toHaveLength(0)

    const byTarget = await admin.get(`/api/audit?target=query:${made[1]}`)
    expect(byTarget.json.rows.map((row: { action: string }) => row.action)).toEqual(['query.create'])
    const byTargetType = await admin.get(`/api/audit?actor=${subject.id}&target=query`)
    expect(byTargetType.json.rows).toHaveLength(3)

    const middle = byPrefix.json.rows[1].createdAt as string
    const from = await admin.get(`/api/audit?actor=${subject.id}&action=query.&from=${middle}`)
    expect(from.json.rows.map((row: { targetId: string }) => row.targetId)).toEqual([made[2], made[1]])
    const to = await admin.get(`/api/audit?actor=${subject.id}&action=query.&to=${middle}`)
    expect(to.json.rows.map((row: { targetId: string }) => row.targetId)).toEqual([made[0]])
  })

  it('refuses a malformed filter or cursor with a 400 naming the field', async () => {
    const badTime = await admin.get('/api/audit?from=yesterday')
    expect(badTime.status).toBe(400)
    expect(badTime.json.data.issues[0].path).toBe('from')
    const badCursor = await admin.get('/api/audit?cursor=bm90IGEgY3Vyc29y')
    expect(badCursor.status).toBe(400)
    expect(badCursor.json.data.issues[0].path).toBe('cursor')
  })

  it('exports the same filtered rows as CSV, newest first, and records the export', async () => {
    // other tests of this file may export too, in any order: count from here
    const exported = and(eq(auditLog.orgId, orgId), eq(auditLog.action, 'audit.export'))
    const before = (await useDb().select().from(auditLog).where(exported)).length
    const csv = await admin.get(`/api/audit.csv?actor=${subject.id}&action=query.`)
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/)
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="audit-log-/)
    const lines = csv.text.trimEnd().split('\r\n')
    expect(lines[0]).toBe('time,actor_type,user_id,user_email,api_token_id,api_token_name,schedule_id,action,target_type,target_id,outcome,client_address,duration_ms,details')
    expect(lines.slice(1).map(line => line.split(',')[9])).toEqual([made[2], made[1], made[0]])
    const recorded = await auditRowsSettled(exported, before + 1)
    expect(recorded).toHaveLength(before + 1)
    expect(recorded.at(-1)).toMatchObject({ targetType: 'audit_log', targetId: null, outcome: 'success' })
  })

  it('neutralises a formula in a user-chosen name before it reaches a spreadsheet', async () => {
    const formula = '=HYPERLINK("http://evil.test","x")'
    const { client } = await signedIn(orgId, 'editor')
    const token = (await client.post('/api/tokens', { name: formula })).json as { id: string, token: string }
    expect((await new ApiClient(web.url).get('/api/auth/me', { authorization: `Bearer ${token.token}` })).status).toBe(200)
    await auditRowsSettled(and(eq(auditLog.apiTokenId, token.id), eq(auditLog.action, 'token.use')), 1)
    const csv = await admin.get(`/api/audit.csv?actor=${token.id}`)
    expect(csv.text).toContain(`"'=HYPERLINK(""http://evil.test"",""x"")"`)
    expect(csv.text).not.toMatch(/(^|,)"?=HYPERLINK/m)
  })

  it('shows an admin only their own org\'s rows', async () => {
    const otherOrg = (await buildOrg('Other')).id
    const { client: otherAdmin } = await signedIn(otherOrg, 'admin')
    const rows = (await otherAdmin.get('/api/audit?limit=500')).json.rows as { targetId: string | null, userId: string | null }[]
    expect(rows.some(row => row.userId === subject.id || made.includes(row.targetId!))).toBe(false)
    expect((await otherAdmin.get(`/api/audit.csv?actor=${subject.id}`)).text.trimEnd().split('\r\n')).toHaveLength(1)
  })

  it('refuses viewers, editors and their tokens with 403, and anonymous callers with 401', async () => {
    const { client: editor } = await signedIn(orgId, 'editor')
    for (const client of [viewer, editor]) {
      expect((await client.get('/api/audit')).status).toBe(403)
      expect((await client.get('/api/audit.csv')).status).toBe(403)
    }
    const token = (await editor.post('/api/tokens', { name: 'reader', scope: 'read' })).json.token as string
    expect((await new ApiClient(web.url).get('/api/audit', { authorization: `Bearer ${token}` })).status).toBe(403)
    expect((await new ApiClient(web.url).get('/api/audit')).status).toBe(401)
    expect((await new ApiClient(web.url).get('/api/audit.csv')).status).toBe(401)
  })
})

describe('which routes leave a row', () => {
  it('lists every route that can change something as audited, or as not audited with a reason', async () => {
    const changing = (await listApiRoutes())
      .filter(route => route.method !== 'GET' && route.method !== 'ANY')
      // route-actions.ts names routes the way Nitro matched them: `:id`, not `{id}`
      .map(route => `${route.method} ${route.path.replace(/\{(\w+)\}/g, ':$1')}`)
    expect(changing.filter(key => !auditedRoutes[key] && !unauditedRoutes[key]), 'add them to server/audit/route-actions.ts').toEqual([])
  })
})

describe('audit rows cannot be altered', () => {
  it('refuses UPDATE, DELETE and TRUNCATE in SQL, whoever asks', async () => {
    for (const statement of [
      'UPDATE audit_log SET action = \'forged\'',
      'DELETE FROM audit_log',
      'TRUNCATE audit_log',
    ]) {
      await expect(queryDatabase(databaseUrl, statement), statement).rejects.toThrow(/append-only/)
    }
  })

  it('lets retention delete rows past the retention age, and nothing else, without leaving the door open', async () => {
    const [old] = await useDb().insert(auditLog).values({ orgId, action: 'test.old', createdAt: sql`now() - interval '401 days'` }).returning()
    const [recent] = await useDb().insert(auditLog).values({ orgId, action: 'test.recent', createdAt: sql`now() - interval '399 days'` }).returning()
    expect(await deleteOldAuditRows(400)).toBe(1)
    const left = await useDb().select({ id: auditLog.id }).from(auditLog).where(sql`${auditLog.id} IN (${old!.id}, ${recent!.id})`)
    expect(left.map(row => row.id)).toEqual([recent!.id])
    // the permission lived in retention's own transaction only
    await expect(useDb().delete(auditLog).where(eq(auditLog.id, recent!.id))).rejects.toThrow()
  })

  it('keeps every existing row unchanged through the API\'s deletes and revokes', async () => {
    // its own query to delete: the file's shared one is still run by the tests that may come after
    const doomedQuery = await admin.post('/api/queries', { name: 'doomed', datasourceId, sql: 'SELECT 3 AS three' })
    expect(doomedQuery.status, doomedQuery.text).toBe(201)
    const before = await useDb().select().from(auditLog).where(eq(auditLog.orgId, orgId))
    const { member, client } = await signedIn(orgId, 'editor')
    const token = (await client.post('/api/tokens', { name: 'doomed' })).json as { id: string }
    expect((await client.delete(`/api/tokens/${token.id}`)).status).toBe(204)
    expect((await client.post('/api/auth/logout')).status).toBe(200)
    expect((await admin.delete(`/api/admin/users/${member.id}`)).status).toBe(204)
    expect((await admin.delete(`/api/queries/${doomedQuery.json.id}?hard=true`)).status).toBe(204)
    const after = await useDb().select().from(auditLog).where(eq(auditLog.orgId, orgId))
    const afterById = new Map(after.map(row => [row.id, row]))
    for (const row of before) expect(afterById.get(row.id), row.action).toEqual(row)
    // the removed user's own rows are still there, still naming them
    expect(after.filter(row => row.userId === member.id).map(row => row.action)).toEqual(expect.arrayContaining(['auth.sign_in', 'token.create', 'token.revoke']))
  })

  it('has no code path that updates or deletes audit rows but retention', async () => {
    const serverRoot = join(import.meta.dirname, '../../server')
    const writers: string[] = []
    for (const entry of await readdir(serverRoot, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts')) continue
      const path = join(entry.parentPath, entry.name)
      const text = await readFile(path, 'utf8')
      if (/\.(update|delete)\(\s*auditLog\b|\b(UPDATE|DELETE\s+FROM|TRUNCATE)\s+(TABLE\s+)?"?audit_log\b/i.test(text)) writers.push(relative(serverRoot, path))
    }
    expect(writers).toEqual(['audit/retention.ts'])
  })
})
