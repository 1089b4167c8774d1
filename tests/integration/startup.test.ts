import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { createEmptyDatabase, queryDatabase } from '../support/database'
import { startApp } from '../support/app'

describe('start-up', () => {
  it('lets a web and a worker migrate an empty database at the same moment, leaving one schema', async () => {
    const databaseUrl = await createEmptyDatabase()
    const [web, worker] = await Promise.all([
      startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'web' }),
      startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'worker' }),
    ])
    try {
      expect(await (await fetch(`${web.url}/api/healthz`)).json()).toMatchObject({ status: 'ok', role: 'web' })
      expect(await (await fetch(`${worker.url}/api/healthz`)).json()).toMatchObject({ status: 'ok', role: 'worker' })
      const journal = JSON.parse(readFileSync('db/migrations/meta/_journal.json', 'utf8'))
      const applied = (await queryDatabase(databaseUrl, 'SELECT hash FROM drizzle.__drizzle_migrations')).rows
      expect(applied).toHaveLength(journal.entries.length)
      const orgTables = (await queryDatabase(databaseUrl, `SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'orgs'`)).rows
      expect(orgTables[0].n).toBe(1)
      // only the web role creates the first admin, and only once
      const users = (await queryDatabase(databaseUrl, 'SELECT count(*)::int AS n FROM users')).rows
      expect(users[0].n).toBe(1)
    }
    finally {
      await Promise.all([web.stop(), worker.stop()])
    }
  })

  it('prints a generated first-admin password once, and not on the next start', async () => {
    const databaseUrl = await createEmptyDatabase()
    const first = await startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'web', TESSERA_ADMIN_EMAIL: 'boss@example.test' })
    await first.stop()
    const password = first.output().match(/Password:\s+(\S+)/)?.[1]
    expect(password).toBeTruthy()
    const second = await startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'web', TESSERA_ADMIN_EMAIL: 'boss@example.test' })
    try {
      expect(second.output()).not.toMatch(/Password:/)
      const login = await fetch(`${second.url}/api/auth/login`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'boss@example.test', password }),
      })
      expect(login.status).toBe(200)
    }
    finally {
      await second.stop()
    }
  })

  it('runs a worker that answers only its health check and stops gracefully on SIGTERM', async () => {
    const databaseUrl = await createEmptyDatabase()
    const worker = await startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'worker' })
    await worker.waitForOutput('worker ready', 20_000)
    expect((await fetch(`${worker.url}/api/auth/me`)).status).toBe(404)
    expect((await fetch(`${worker.url}/`)).status).toBe(404)
    const exitCode = await worker.stop('SIGTERM')
    expect(exitCode).toBe(0)
    expect(worker.output()).toContain('worker stopping')
  })
})
