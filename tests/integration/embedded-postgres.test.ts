// The embedded server's superuser password is generated per install. A data folder made
// when the password was the constant 'tessera' must still start, and from then on answer
// only to its new password.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { startEmbeddedPostgres } from '../../scripts/embedded-postgres.mjs'
import { freePort } from '../../scripts/free-port.mjs'

async function canConnect(port: number, password: string): Promise<boolean> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' })
  try {
    await client.connect()
    await client.end()
    return true
  }
  catch {
    return false
  }
}

describe('the embedded Postgres', () => {
  it('moves a data folder made with the old fixed password onto the install\'s generated one', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tessera-legacy-pg-'))
    const port = await freePort()
    try {
      const legacy = await startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres'), port, password: 'tessera' })
      await legacy.stop()
      const restarted = await startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres'), port, password: 'a-generated-password' })
      try {
        expect(await canConnect(port, 'a-generated-password')).toBe(true)
        expect(await canConnect(port, 'tessera')).toBe(false)
        expect(restarted.urlFor('x')).toContain(':a-generated-password@')
      }
      finally {
        await restarted.stop()
      }
    }
    finally {
      await rm(dataDir, { recursive: true, force: true })
    }
  })

  it('generates a random superuser password when none is given', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tessera-random-pg-'))
    const port = await freePort()
    const server = await startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres'), port })
    try {
      expect(server.password).toMatch(/^[\w-]{20,}$/)
      expect(await canConnect(port, 'tessera')).toBe(false)
      expect(await canConnect(port, server.password)).toBe(true)
    }
    finally {
      await server.stop()
      await rm(dataDir, { recursive: true, force: true })
    }
  })
})
