// Where a run's time goes, without the queue or a worker process, on its own embedded
// Postgres: psql \copy, then through COPY (no parameters) and through the DataRow reader
// (bound parameters): the connector alone (fetch), fetch then compress each batch before
// reading the next (serial), fetch and store one batch after another (the store awaited
// before the next read: no overlap), and the run's pipeline (the writer compresses and
// inserts while the next rows are read, bounded in bytes). The pipeline's time close to
// fetch alone is the overlap. A diagnostic, not a target: `node --import tsx bench/breakdown.ts`.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { startEmbeddedPostgres } from '../scripts/embedded-postgres.mjs'
import { freePort } from '../scripts/free-port.mjs'

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)

async function main() {
  const dataDir = await mkdtemp(join(tmpdir(), 'tessera-breakdown-pg-'))
  const postgres = await startEmbeddedPostgres({ dataDir, port: await freePort() })
  const url = await postgres.ensureDatabase('breakdown')
  process.env.DATABASE_URL = url
  process.env.TESSERA_SECRET_KEY = 'ab'.repeat(32)
  // the datasource here is the metadata server itself, which the deny list refuses by default
  process.env.TESSERA_DATASOURCE_DENY_HOSTS ??= 'none'
  const { migrateDatabase } = await import('../db/migrate')
  await migrateDatabase(url, 'db/migrations')
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  await client.query(`CREATE TABLE facts AS
    SELECT g AS id, g::int8 * 7919 AS big, (g % 1000)::int4 AS small, md5(g::text) AS hash,
           timestamptz '2024-01-01' + g * interval '1 second' AS at, round(g / 7.0, 3) AS amount,
           g % 2 = 0 AS flag, 'label ' || (g % 100) AS label, (g % 997) / 997.0::float8 AS score,
           date '2020-01-01' + (g % 3650) AS day
    FROM generate_series(1, ${ROWS}) g`)
  const org = await client.query(`INSERT INTO orgs (name) VALUES ('b') RETURNING id`)
  const datasource = await client.query(`INSERT INTO datasources (org_id, name, type, config) VALUES ($1, 'b', 'postgres', '{}') RETURNING id`, [org.rows[0].id])
  const { postgresConnector } = await import('../server/connectors/postgres')
  const { ResultWriter } = await import('../server/results/store')
  const { closeDb } = await import('../server/utils/db')
  const source = new URL(url)
  const settings = { config: { host: source.hostname, port: Number(source.port), database: 'breakdown', user: 'postgres', sslmode: 'disable' }, password: postgres.password, allowPrivilegedRole: true }
  const copyStarted = performance.now()
  const { execFileSync } = await import('node:child_process')
  execFileSync('/usr/bin/psql', ['-X', '-q', '-d', url, '-c', `\\copy (SELECT * FROM facts) to '/dev/null'`])
  console.log('psql \\copy', (performance.now() - copyStarted).toFixed(0), 'ms')
  const { encodeChunk } = await import('../server/results/encoding')
  // without parameters the connector reads through COPY; with one, DataRow messages
  const paths = [['COPY', 'SELECT * FROM facts', []], ['DataRow', 'SELECT * FROM facts WHERE id > $1', [0]]] as const
  for (const [path, sql, bindValues] of paths) {
    for (const mode of ['fetch', 'fetch, then compress', 'fetch, then store (no overlap)', 'pipeline (fetch overlaps store)']) {
      const runRow = await client.query(`INSERT INTO runs (org_id, datasource_id, sql, limits, cache_key, trigger, attempts) VALUES ($1, $2, 'x', '{}', 'x', 'api', 1) RETURNING id, org_id AS "orgId", attempts`, [org.rows[0].id, datasource.rows[0].id])
      const started = performance.now()
      const execution = await postgresConnector.execute(settings, { runId: runRow.rows[0].id, sql, bindValues: [...bindValues], timeoutMs: 600_000, lockTimeoutMs: 1000 })
      const writer = new ResultWriter({ id: runRow.rows[0].id, orgId: runRow.rows[0].orgId, attempts: 1 })
      writer.setRowFormat(execution.rowFormat)
      let rows = 0
      let bytes = 0
      for await (const batch of execution.batches) {
        // counting each row's bytes is what a run does with it
        for (const block of batch) {
          let start = 0
          for (const end of block.ends) {
            bytes += end - start
            start = end
          }
          rows += block.ends.length
        }
        if (mode === 'fetch, then compress') await encodeChunk(batch.map(block => block.bytes), execution.rowFormat)
        if (mode.startsWith('fetch, then store') || mode.startsWith('pipeline')) {
          for (const block of batch) writer.addRows(block)
          await writer.flush()
          // without overlap: every chunk stored before the next rows are read
          if (mode.startsWith('fetch, then store')) await writer.drain()
        }
      }
      if (mode.includes('store')) await writer.finish({ columns: execution.columns, rowCount: rows, byteCount: bytes, truncated: false })
      console.log(`${path}, ${mode}: ${rows} rows, ${(performance.now() - started).toFixed(0)} ms`)
    }
  }
  await client.end()
  await closeDb()
  await postgres.stop()
  await rm(dataDir, { recursive: true, force: true })
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
