// Schema browser benchmark (`node --import tsx bench/schema-cache.ts`): a catalog of
// 10,000 tables (5 columns each), read once by the connector's introspection (the
// baseline, what every autocomplete request would cost without the cache) and then from
// the 60 s in-memory cache that GET /api/datasources/:id/schema answers from. Medians.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { startEmbeddedPostgres } from '../scripts/embedded-postgres.mjs'
import { freePort } from '../scripts/free-port.mjs'
import { median } from './statistics.mjs'

const TABLES = Number(process.env.BENCH_TABLES ?? 10_000)
const REPETITIONS = 5



async function main() {
  const dataDir = await mkdtemp(join(tmpdir(), 'tessera-bench-schema-'))
  const postgres = await startEmbeddedPostgres({ dataDir, port: await freePort() })
  try {
    const url = new URL(postgres.urlFor('postgres'))
    process.env.DATABASE_URL = url.toString()
    process.env.TESSERA_SECRET_KEY = 'ab'.repeat(32)
    const client = new pg.Client({ connectionString: url.toString() })
    await client.connect()
    client.on('error', () => {})
    // batches: one transaction creating 10,000 tables would exhaust the lock table
    for (let first = 1; first <= TABLES; first += 500) {
      await client.query(`DO $$ BEGIN FOR i IN ${first}..${Math.min(first + 499, TABLES)} LOOP
        EXECUTE format('CREATE TABLE IF NOT EXISTS bench_%s (id bigint PRIMARY KEY, name text, amount numeric, created_at timestamptz, tags text[])', i);
      END LOOP; END $$`)
    }
    await client.end()
    const { encryptSecret } = await import('../server/connectors/secrets')
    const { datasourceSchema } = await import('../server/datasources/connection')
    const datasource = {
      id: '00000000-0000-0000-0000-000000000001', orgId: '00000000-0000-0000-0000-000000000002', name: 'bench', type: 'postgres' as const,
      config: { host: url.hostname, port: Number(url.port), database: 'postgres', user: decodeURIComponent(url.username), sslmode: 'disable' as const },
      encryptedPassword: encryptSecret(decodeURIComponent(url.password)), maxConcurrentRuns: 4,
      // the bench's own throwaway server, reached as its superuser: allowed explicitly
      allowPrivilegedRole: true, createdAt: new Date(0), updatedAt: new Date(0),
    }
    const uncached: number[] = []
    const cached: number[] = []
    let tables = 0
    for (let repetition = 0; repetition < REPETITIONS; repetition++) {
      let started = performance.now()
      tables = (await datasourceSchema(datasource, true)).schema.tables.length
      uncached.push(performance.now() - started)
      started = performance.now()
      await datasourceSchema(datasource)
      cached.push(performance.now() - started)
    }
    const baseline = median(uncached)
    const fromCache = median(cached)
    console.log(`schema of ${tables} tables: introspection ${baseline.toFixed(1)} ms (baseline), cached ${fromCache.toFixed(3)} ms — ${(baseline / fromCache).toFixed(0)}× faster (medians of ${REPETITIONS})`)
  }
  finally {
    await postgres.stop()
    await rm(dataDir, { recursive: true, force: true })
  }
}

await main()
