// Creates a fresh database on the Postgres server at `serverUrl` and returns its URL:
// benches and tests that need an empty database of their own beside the shared ones.
import pg from 'pg'

export async function createDatabase(serverUrl, name) {
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`)
  }
  finally {
    await admin.end()
  }
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return url.toString()
}
