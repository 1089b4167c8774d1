// The demo org's datasource: the demo ops database, reached with the embedded server's
// own credentials (stored encrypted like any datasource password).
import { createDatasource } from '../datasources/datasources'

export async function seedDemoDatasource(orgId: string, demoDatabaseUrl: string) {
  const url = new URL(demoDatabaseUrl)
  return createDatasource(orgId, {
    name: 'Demo ops',
    type: 'postgres',
    config: {
      host: url.hostname,
      port: Number(url.port || 5432),
      database: decodeURIComponent(url.pathname.slice(1)),
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
      sslmode: 'disable',
    },
  })
}
