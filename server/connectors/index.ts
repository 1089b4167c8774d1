// The connector registry: the only place that knows which connector serves which
// datasource type. The run pipeline asks here and never names a connector itself.
import { createError } from 'h3'
import type { datasources } from '../../db/schema'
import { postgresConnector } from './postgres'
import { decryptSecret } from './secrets'
import type { ConnectionSettings, Connector } from './types'

const connectors: Record<string, Connector> = {
  [postgresConnector.type]: postgresConnector,
}

export const connectorTypes = Object.keys(connectors)

/** The connector for a datasource type; an unknown type is the caller's mistake (400). */
export function getConnector(type: string): Connector {
  const connector = connectors[type]
  if (!connector) throw createError({ statusCode: 400, message: `Unknown datasource type "${type}" (known: ${connectorTypes.join(', ')})` })
  return connector
}

/** What a connector needs to connect: the stored config and the decrypted password. */
export function connectionSettingsFor(datasource: typeof datasources.$inferSelect): ConnectionSettings {
  return {
    config: datasource.config as unknown as Record<string, unknown>,
    password: datasource.encryptedPassword ? decryptSecret(datasource.encryptedPassword) : undefined,
    allowPrivilegedRole: datasource.allowPrivilegedRole,
  }
}
