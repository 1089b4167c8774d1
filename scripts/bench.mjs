// `npm run bench`: runs the engine benchmark (bench/engine.ts, TypeScript through tsx)
// against its own embedded Postgres, or the server in BENCH_DATABASE_URL when given,
// then the dashboard serving benchmark (bench/dashboards.mjs, its own `npm start`).
import { spawnSync } from 'node:child_process'

const engine = spawnSync(process.execPath, ['--import', 'tsx', 'bench/engine.ts', ...process.argv.slice(2)], { stdio: 'inherit' })
const dashboards = spawnSync(process.execPath, ['bench/dashboards.mjs'], { stdio: 'inherit' })
process.exit(engine.status || dashboards.status || 0)
