// `npm test`: everything, in the order a failure is cheapest to find.
// lint → typecheck → build → vitest (unit + integration on real Postgres) → Playwright.
import { spawnSync } from 'node:child_process'

const steps = [
  ['lint', 'npx', ['eslint', '.']],
  ['typecheck', 'npx', ['nuxt', 'typecheck']],
  ['build', 'npx', ['nuxt', 'build']],
  ['unit + integration', 'npx', ['vitest', 'run']],
  ['end-to-end', 'npx', ['playwright', 'test']],
]

const only = process.argv.slice(2)
for (const [name, command, args] of steps) {
  if (only.length && !only.includes(name.split(' ')[0])) continue
  console.log(`\n=== ${name} ===`)
  const started = Date.now()
  const result = spawnSync(command, args, { stdio: 'inherit' })
  console.log(`=== ${name}: ${result.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)}s ===`)
  if (result.status !== 0) process.exit(result.status ?? 1)
}
