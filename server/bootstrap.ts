// Owns process start-up: migrate the metadata database (under an advisory lock, so a
// web and a worker starting together never race), then on the web role create the
// first admin of a fresh install (once, however many web processes start together) and
// the demo data. Requests wait for this to finish.
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { migrateDatabase } from '../db/migrate'
import { useConfig } from './config'
import { logger } from './utils/logger'

let ready: Promise<void> | undefined

export function whenReady(): Promise<void> {
  ready ??= bootstrap()
  return ready
}

// Built server: migrations are copied beside index.mjs; source tree: db/migrations.
export function findMigrationsFolder(): string {
  const configured = useConfig().TESSERA_MIGRATIONS_DIR
  if (configured) return configured
  const candidates = [
    process.argv[1] ? join(dirname(process.argv[1]), 'migrations') : undefined,
    resolve('db/migrations'),
  ]
  const found = candidates.find(candidate => candidate && existsSync(join(candidate, 'meta/_journal.json')))
  if (!found) throw new Error(`No migrations found (looked in ${candidates.filter(Boolean).join(', ')}); set TESSERA_MIGRATIONS_DIR`)
  return found
}

async function bootstrap(): Promise<void> {
  const config = useConfig()
  await migrateDatabase(config.DATABASE_URL, findMigrationsFolder())
  if (config.APP_ROLE !== 'web') return
  // web-only modules, loaded here so a worker never carries them (argon2, the demo data)
  const { ensureFirstAdmin } = await import('./auth/accounts')
  const { adoptDemoReader, seedDemo } = await import('./demo/seed')
  const created = await ensureFirstAdmin({
    orgName: config.TESSERA_DEMO_DATABASE_URL ? 'Demo Ops' : 'Tessera',
    email: config.TESSERA_ADMIN_EMAIL ?? 'admin@tessera.local',
    password: config.TESSERA_ADMIN_PASSWORD,
  })
  if (created) {
    logger.info('first admin created', { email: created.admin.email, orgId: created.org.id })
    // printed once, plainly, so a person starting Tessera for the first time can sign in
    console.log(`\n  First admin: ${created.admin.email}\n  Password:    ${created.generated ? created.password : '(from TESSERA_ADMIN_PASSWORD)'}\n`)
    if (config.TESSERA_DEMO_DATABASE_URL) await seedDemo(created.org.id, config.TESSERA_DEMO_DATABASE_URL, created.admin.id)
  }
  else if (config.TESSERA_DEMO_DATABASE_URL) {
    await adoptDemoReader(config.TESSERA_DEMO_DATABASE_URL)
  }
}
