// `npm test`: every stage, in the order a failure is cheapest to find:
// lint → typecheck → build → unit → integration (real Postgres) → e2e (Chromium).
// `npm test -- <stage> [<stage> …]` runs only the named stages; an unknown name fails
// before anything runs, so a typo never passes as "nothing to do".
// Documentation screenshots are not a test stage: `npm run screenshots` writes them.
import { spawnSync } from 'node:child_process'

const stages = {
  lint: ['npx', ['eslint', '.']],
  typecheck: ['npx', ['nuxt', 'typecheck']],
  build: ['npx', ['nuxt', 'build']],
  unit: ['npx', ['vitest', 'run', '--project', 'unit']],
  integration: ['npx', ['vitest', 'run', '--project', 'integration']],
  e2e: ['npx', ['playwright', 'test']],
}

const requested = process.argv.slice(2)
const unknown = requested.filter(name => !Object.hasOwn(stages, name))
if (unknown.length) {
  console.error(`npm test: unknown stage ${unknown.map(name => `"${name}"`).join(', ')}; stages are: ${Object.keys(stages).join(', ')}`)
  process.exit(2)
}

const selected = requested.length ? Object.keys(stages).filter(name => requested.includes(name)) : Object.keys(stages)
for (const name of selected) {
  const [command, args] = stages[name]
  console.log(`\n=== ${name} ===`)
  const started = Date.now()
  const result = spawnSync(command, args, { stdio: 'inherit' })
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  console.log(`=== ${name}: ${result.status === 0 ? 'ok' : 'FAILED'} in ${seconds}s ===`)
  if (result.status !== 0) process.exit(result.status ?? 1)
}
