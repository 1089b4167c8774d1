// Rebuilds .output when any source file is newer than the last build, so `npm start`
// on a fresh clone builds once and later starts are immediate.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const SOURCES = ['server', 'pages', 'components', 'composables', 'layouts', 'middleware', 'shared', 'db', 'assets', 'app.vue', 'nuxt.config.ts', 'package-lock.json']
const BUILD_MARKER = '.output/nitro.json'

function newestMtime(path) {
  if (!existsSync(path)) return 0
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return Math.max(0, ...readdirSync(path).map(entry => newestMtime(join(path, entry))))
}

export function buildIfNeeded() {
  const builtAt = existsSync(BUILD_MARKER) ? statSync(BUILD_MARKER).mtimeMs : 0
  if (builtAt && Math.max(...SOURCES.map(newestMtime)) <= builtAt) return false
  console.log('Building Tessera (first start or sources changed)…')
  const result = spawnSync('npx', ['nuxt', 'build'], { stdio: 'inherit' })
  if (result.status !== 0) throw new Error('nuxt build failed')
  return true
}

if (import.meta.url === `file://${process.argv[1]}`) buildIfNeeded()
