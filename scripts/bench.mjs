// `npm run bench`: the engine benchmark (bench/engine.ts, TypeScript through tsx) against
// its own embedded Postgres (or BENCH_DATABASE_URL's server), then dashboard serving
// (bench/dashboards.mjs, its own `npm start`), then schedule firing (bench/schedules.mjs).
// Each prints ratios against a baseline measured in the same run.
import { spawnSync } from 'node:child_process'

const benches = [
  ['--import', 'tsx', 'bench/engine.ts', ...process.argv.slice(2)],
  ['bench/dashboards.mjs'],
  ['bench/schedules.mjs'],
]
let failed = 0
for (const args of benches) {
  // bench datasources live on the bench's own metadata server, which Tessera refuses by default
  const result = spawnSync(process.execPath, args, { stdio: 'inherit', env: { TESSERA_DATASOURCE_DENY_HOSTS: 'none', ...process.env } })
  failed ||= result.status ?? 1
}
process.exit(failed)
