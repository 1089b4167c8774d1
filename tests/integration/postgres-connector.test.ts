import { execFileSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { postgresConnector } from '../../server/connectors/postgres'
import { QueryError, type ExecuteRequest } from '../../server/connectors/types'
import type { ValueCaps } from '../../server/connectors/value-caps'
import { decodeCopyLines } from '../../server/results/copy-text'
import { blockLines, rowsIn } from '../../server/connectors/row-blocks'
import { useTestDatabase, queryDatabase } from '../support/database'
import { settingsForUrl } from '../support/engine-builders'

let databaseUrl: string

const sourceQuery = (text: string) => queryDatabase(databaseUrl, text)

// each execution its own run id, so a test counts its own connections (tessera-run-<id>),
// never those of another test file running on the same server
function request(sql: string, bindValues: unknown[] = [], valueCaps?: ValueCaps, runId: string = randomUUID()): ExecuteRequest {
  return { runId, sql, bindValues, timeoutMs: 10_000, lockTimeoutMs: 1_000, valueCaps }
}

async function runAll(sql: string, bindValues: unknown[] = [], valueCaps?: ValueCaps, runId?: string) {
  const execution = await postgresConnector.execute(settingsForUrl(databaseUrl), request(sql, bindValues, valueCaps, runId))
  const rows: unknown[][] = []
  for await (const batch of execution.batches) {
    // COPY lines (with their newlines) read back as the result store does, whichever path read them
    rows.push(...decodeCopyLines(batch.flatMap(blockLines).map(row => row.toString('utf8').slice(0, -1)), execution.rowFormat.valueKinds))
  }
  return { columns: execution.columns, rows }
}

// COPY without parameters, the DataRow reader with them: the same statement both ways
const bothPaths = (sql: string) => [['COPY', sql.replaceAll('$1::int', '1'), []], ['the DataRow reader', sql, [1]]] as const

async function refusal(sql: string): Promise<QueryError> {
  const error = await runAll(sql).then(() => undefined, (caught: unknown) => caught)
  expect(error).toBeInstanceOf(QueryError)
  return error as QueryError
}

const NULL_MARK = '<<NULL>>'

function asPsqlText(value: unknown): string {
  if (value === null) return NULL_MARK
  if (typeof value === 'boolean') return value ? 't' : 'f'
  return String(value)
}

beforeAll(async () => {
  databaseUrl = await useTestDatabase()
  await sourceQuery(`
    CREATE TABLE fidelity (
      id int4 PRIMARY KEY, small int2, big int8, exact numeric, real4 float4, real8 float8, flag bool,
      at timestamptz, day date, span interval, doc json, docb jsonb, list int4[], words text[], raw bytea, note text, maybe text
    );
    INSERT INTO fidelity VALUES
      (1, 32767, 9007199254740993, 123456789012345678901234567890.123, 0.1, 0.1, true,
       '2024-03-10 02:30:00.123456+00', '2024-02-29', '1 year 2 mons 3 days 04:05:06.789', '{"b": 1,  "a": [1, 2.50]}', '{"b": 1, "a": [1, 2.50]}',
       '{1,NULL,3}', '{"a b","c,d","e\\"f",NULL}', '\\x00ff10', E'tab\\there\\nnew line \\\\ backslash 🎉', NULL),
      (2, NULL, -9223372036854775808, 'NaN', 'NaN', 'Infinity', false,
       'infinity', '4713-01-01 BC', '-1 days', 'null', '[]', '{}', '{}', '\\x', '', 'x'),
      (3, -1, 0, '-0.000000000000000000000000000001', '-Infinity', '-Infinity', NULL,
       '1999-12-31 23:59:59+05:30', NULL, '0', '"s"', '{"k": "v\\u00e9"}', NULL, NULL, NULL, NULL, NULL);
  `)
})

describe('the Postgres connector', () => {
  // without parameters rows come through COPY, with them through the cursor: both must agree with psql
  it.each([
    ['COPY', 'SELECT * FROM fidelity ORDER BY id', []],
    ['the DataRow reader (bound parameters)', 'SELECT * FROM fidelity WHERE id > $1 ORDER BY id', [0]],
  ])('returns every value exactly as psql prints it through %s, with JSON numbers only for int2/int4/float4/float8', async (_path, sql, bindValues) => {
    const { columns, rows } = await runAll(sql, bindValues)
    const psqlSql = sql.replace('$1', '0')
    const output = execFileSync('/usr/bin/psql', ['-X', '-A', '-t', '-z', '-0', '-P', `null=${NULL_MARK}`, '-d', databaseUrl, '-c', psqlSql], { encoding: 'utf8' })
    // -z separates fields and -0 records with a zero byte: text with tabs and newlines stays whole
    const expected = output.replace(/\0$/, '').split('\0')
    expect(rows.flat().map(asPsqlText)).toEqual(expected)
    expect(rows[0]![0]).toBe(1)
    expect(rows[0]![2]).toBe('9007199254740993')
    expect(rows[0]![5]).toBe(0.1)
    expect(rows[1]![5]).toBe('Infinity')
    expect(rows[1]![4]).toBe('NaN')
    expect(rows[2]![4]).toBe('-Infinity')
    expect(rows[0]![6]).toBe(true)
    expect(rows[0]![15]).toBe('tab\there\nnew line \\ backslash 🎉')
    expect(columns.map(column => column.type)).toEqual([
      'int4', 'int2', 'int8', 'numeric', 'float4', 'float8', 'bool', 'timestamptz', 'date', 'interval', 'json', 'jsonb', 'int4[]', 'text[]', 'bytea', 'text', 'text',
    ])
  })

  it.each(bothPaths(`SELECT g, repeat(E'é\\t🎉\\\\\\n', 40000) AS long FROM generate_series($1::int, 3) g`))('keeps rows longer than one network read whole, escapes and multi-byte characters included, through %s', async (_path, sql, bindValues) => {
    const { rows } = await runAll(sql, [...bindValues])
    expect(rows).toEqual([1, 2, 3].map(g => [g, 'é\t🎉\\\n'.repeat(40000)]))
  })

  const caps: ValueCaps = { maxValueBytes: 1_000, maxRowBytes: 2_500 }
  it.each(bothPaths(`SELECT $1::int AS id, repeat('é', 3000) AS long, 'short' AS word, repeat('x', 5000) AS more, NULL::text AS nothing, repeat('y', 800) AS last`))('cuts values past the per-value and per-row caps at a character boundary, with a note, through %s', async (_path, sql, bindValues) => {
    const { rows } = await runAll(sql, [...bindValues], caps)
    expect(rows).toEqual([[
      1,
      `${'é'.repeat(500)} [value truncated by Tessera: 6,000 bytes, the first 1,000 kept]`,
      'short',
      `${'x'.repeat(1000)} [value truncated by Tessera: 5,000 bytes, the first 1,000 kept]`,
      null,
      // 2,006 bytes of the row's 2,500 are used (1 + 1,000 + 5 + 1,000; NULL takes none): the last value gets what is left
      `${'y'.repeat(494)} [value truncated by Tessera: 800 bytes, the first 494 kept]`,
    ]])
  })

  it.each(bothPaths(`SELECT $1::int AS id, repeat('ab', 15000000) AS huge`))('reads a 30 MB value through %s, keeping only its capped start', async (_path, sql, bindValues) => {
    // a statement timeout of a minute: on a loaded machine 30 MB can take more than the default 10 s
    const execution = await postgresConnector.execute(settingsForUrl(databaseUrl), { ...request(sql, [...bindValues]), timeoutMs: 60_000 })
    const rows: unknown[][] = []
    for await (const batch of execution.batches) rows.push(...decodeCopyLines(batch.flatMap(blockLines).map(row => row.toString('utf8').slice(0, -1)), execution.rowFormat.valueKinds))
    expect(rows).toEqual([[1, `${'ab'.repeat(512 * 1024)} [value truncated by Tessera: 30,000,000 bytes, the first 1,048,576 kept]`]])
  })

  it('runs statements COPY does not take (SHOW, EXPLAIN, a final semicolon, a trailing comment) through the DataRow reader', async () => {
    expect((await runAll('SHOW statement_timeout')).rows).toEqual([['10s']])
    expect((await runAll('SELECT 1 AS one;  ')).rows).toEqual([[1]])
    expect((await runAll('SELECT 2 AS two -- the end')).rows).toEqual([[2]])
    const explained = await runAll('EXPLAIN SELECT * FROM fidelity')
    expect(explained.columns).toEqual([{ name: 'QUERY PLAN', type: 'text' }])
    expect(String(explained.rows[0]![0])).toMatch(/Scan on fidelity/)
  })

  it('fails with Postgres\'s error when a statement breaks before or after COPY has sent rows', async () => {
    expect((await refusal(`SELECT id, 1 / (id - 1) FROM fidelity`)).code).toBe('22012')
    // the first 5,000-row batch is already out when row 9,000 divides by zero
    expect((await refusal(`SELECT g, 1 / (g - 9000) FROM generate_series(1, 12000) g`)).code).toBe('22012')
  })

  it('stops a statement read halfway (limits reached) and lets its connection go', async () => {
    for (const [sql, bindValues] of [['SELECT g FROM generate_series(1, 2000000) g', []], ['SELECT g FROM generate_series(1, $1::int) g', [2_000_000]]] as const) {
      const runId = randomUUID()
      const execution = await postgresConnector.execute(settingsForUrl(databaseUrl), request(sql, [...bindValues], undefined, runId))
      const batches = execution.batches[Symbol.asyncIterator]()
      expect(rowsIn((await batches.next()).value)).toBeGreaterThanOrEqual(5_000)
      await batches.return!(undefined)
      // the client has hung up; its backend leaves pg_stat_activity a moment later
      const deadline = Date.now() + 3_000
      let open = -1
      while (open !== 0 && Date.now() < deadline) {
        open = (await sourceQuery(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'tessera-run-${runId}'`)).rows[0].n
        if (open !== 0) await new Promise(done => setTimeout(done, 50))
      }
      expect(open).toBe(0)
    }
  })

  it('binds parameters as values, never as SQL', async () => {
    const { rows } = await runAll('SELECT $1::text AS said, $2::int8 + 1 AS next', [`'; DROP TABLE fidelity; --`, '9007199254740993'])
    expect(rows).toEqual([[`'; DROP TABLE fidelity; --`, '9007199254740994']])
  })

  it('streams large results in several batches', async () => {
    const execution = await postgresConnector.execute(settingsForUrl(databaseUrl), request('SELECT g, md5(g::text) FROM generate_series(1, 12345) g'))
    const sizes: number[] = []
    for await (const batch of execution.batches) sizes.push(rowsIn(batch))
    expect(sizes.length).toBeGreaterThan(1)
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(12345)
  })

  it('refuses writes, DDL, several statements and leaving the read-only transaction, leaving the table untouched', async () => {
    expect((await refusal(`INSERT INTO fidelity (id) VALUES (99)`)).message).toMatch(/read-only transaction/)
    expect((await refusal(`DROP TABLE fidelity`)).message).toMatch(/read-only transaction/)
    expect((await refusal(`SELECT 1; DELETE FROM fidelity`)).message).toMatch(/Only one statement/)
    expect((await refusal(` \n -- nothing\n ; `)).message).toMatch(/no SQL to run/)
    expect((await refusal(`SET TRANSACTION READ WRITE`)).message).toMatch(/read-only transaction/)
    expect((await refusal(`/* hi */ commit`)).message).toMatch(/Transaction control/)
    expect((await refusal(`set session characteristics as transaction read write`)).message).toMatch(/transaction mode/)
    const { rows } = await sourceQuery('SELECT count(*)::int AS n FROM fidelity')
    expect(rows[0].n).toBe(3)
  })

  it('reports Postgres errors with their position and SQLSTATE', async () => {
    const error = await refusal('SELECT nope FROM fidelity')
    expect(error.code).toBe('42703')
    expect(error.position).toBe(8)
  })

  it('ends a statement that outlives its timeout with SQLSTATE 57014', async () => {
    const execution = postgresConnector.execute(settingsForUrl(databaseUrl), { ...request('SELECT pg_sleep(5)'), timeoutMs: 200 })
    await expect(execution).rejects.toMatchObject({ code: '57014' })
  })

  it('cancels a running statement from a second connection', async () => {
    const started = Date.now()
    // settled into a value at once: the rejection arrives while this test is still awaiting other things
    const runId = randomUUID()
    const pending = runAll('SELECT pg_sleep(60)', [], undefined, runId).then(() => undefined, (error: unknown) => error)
    await new Promise(done => setTimeout(done, 500))
    const { rows } = await sourceQuery(`SELECT pid, query FROM pg_stat_activity WHERE application_name = 'tessera-run-${runId}'`)
    expect(rows).toHaveLength(1)
    // a statement without parameters streams through COPY
    expect(rows[0].query).toBe('COPY (\nSELECT pg_sleep(60)\n) TO STDOUT')
    await sourceQuery(`SELECT pg_cancel_backend(${Number(rows[0].pid)})`)
    expect(await pending).toMatchObject({ code: '57014' })
    expect(Date.now() - started).toBeLessThan(5_000)
  })

  it('tests a connection as a read-only role with no warnings, and warns when that role can write', async () => {
    const result = await postgresConnector.test(settingsForUrl(databaseUrl))
    expect(result).toMatchObject({ ok: true, warnings: [] })
    expect(result.serverVersion).toMatch(/^\d+/)
    await sourceQuery(`CREATE TABLE writable (id int)`)
    await sourceQuery(`GRANT INSERT ON writable TO ${settingsForUrl(databaseUrl).config.user}`)
    expect((await postgresConnector.test(settingsForUrl(databaseUrl))).warnings.join(' ')).toMatch(/can change data/)
    await sourceQuery(`DROP TABLE writable`)
    const failed = await postgresConnector.test({ ...settingsForUrl(databaseUrl), password: 'wrong' })
    expect(failed.ok).toBe(false)
  })

  it('introspects tables and views with their columns, types and nullability in one query', async () => {
    await sourceQuery('CREATE OR REPLACE VIEW fidelity_ids AS SELECT id, big FROM fidelity')
    const schema = await postgresConnector.introspect(settingsForUrl(databaseUrl))
    const table = schema.tables.find(entry => entry.name === 'fidelity')!
    expect(table).toMatchObject({ schema: 'public', kind: 'table' })
    expect(table.columns[0]).toEqual({ name: 'id', type: 'integer', nullable: false })
    expect(table.columns.find(column => column.name === 'words')).toEqual({ name: 'words', type: 'text[]', nullable: true })
    expect(schema.tables.find(entry => entry.name === 'fidelity_ids')).toMatchObject({ kind: 'view', columns: [{ name: 'id' }, { name: 'big' }] })
    expect(schema.tables.some(entry => entry.schema === 'pg_catalog' || entry.schema === 'information_schema')).toBe(false)
  })

  // nextval() in the statement: executed, it would move the sequence (or fail read-only);
  // planned only, the sequence stays where it was. Both protocols: without bound values a
  // statement goes through the simple one unless the connector says otherwise.
  it.each([
    ['without bound values', `SELECT nextval('estimate_probe'), * FROM fidelity`, []],
    ['with bound values', `SELECT nextval('estimate_probe'), * FROM fidelity WHERE id > $1`, [0]],
  ])('estimates a plan without executing the statement (%s)', async (_protocol, sql, bindValues) => {
    await queryDatabase(databaseUrl, 'CREATE SEQUENCE IF NOT EXISTS estimate_probe; GRANT USAGE ON SEQUENCE estimate_probe TO PUBLIC')
    const probe = `SELECT last_value, is_called FROM estimate_probe`
    const before = (await queryDatabase(databaseUrl, probe)).rows[0]
    const estimate = await postgresConnector.estimate(settingsForUrl(databaseUrl), request(sql, bindValues))
    expect(estimate.rows).toBeGreaterThan(0)
    expect(estimate.cost).toBeGreaterThan(0)
    expect(estimate.plan).toContain('Seq Scan')
    expect((await queryDatabase(databaseUrl, probe)).rows[0]).toEqual(before)
  })
})
