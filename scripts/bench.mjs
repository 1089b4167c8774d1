// `npm run bench`: runs the engine benchmark (bench/engine.ts, TypeScript through tsx)
// against its own embedded Postgres, or the server in BENCH_DATABASE_URL when given.
import { spawnSync } from 'node:child_process'

const result = spawnSync(process.execPath, ['--import', 'tsx', 'bench/engine.ts', ...process.argv.slice(2)], { stdio: 'inherit' })
process.exit(result.status ?? 1)
