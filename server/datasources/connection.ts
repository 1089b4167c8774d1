// Connection test and schema introspection for the datasource pages and the editor's
// autocomplete. Both run the connector's fixed catalog SQL, never user SQL. A schema is
// cached in memory per datasource for SCHEMA_TTL_MS, so autocomplete over 10,000 tables
// answers at once and a burst of editors opens one catalog connection, not one each.
import type { datasources } from '../../db/schema'
import { connectionSettingsFor, getConnector } from '../connectors'
import type { ConnectionSettings, ConnectionTestResult, DatasourceSchema } from '../connectors/types'
import { logger } from '../utils/logger'

const SCHEMA_TTL_MS = 60_000

interface CachedSchema {
  loadedAt: number
  schema: Promise<DatasourceSchema>
}

const schemaCache = new Map<string, CachedSchema>()

export function forgetSchema(datasourceId: string): void {
  schemaCache.delete(datasourceId)
}

export async function testConnection(type: string, settings: ConnectionSettings): Promise<ConnectionTestResult> {
  return getConnector(type).test(settings)
}

/**
 * The saved datasource's test. Why a connection failed (refused, closed, wrong password)
 * goes to admins only: told to anyone, it would map which hosts and ports answer.
 */
export async function testDatasource(datasource: typeof datasources.$inferSelect, detailed: boolean): Promise<ConnectionTestResult> {
  const result = await testConnection(datasource.type, connectionSettingsFor(datasource))
  logger.info('datasource tested', { datasourceId: datasource.id, ok: result.ok, error: result.error })
  if (result.ok || detailed) return result
  return { ok: false, warnings: [], error: 'Could not connect to this datasource; an admin can test it to see why.' }
}

/** The datasource's schemas, tables and columns, from the cache when younger than a minute (refresh: true skips it). */
export async function datasourceSchema(datasource: typeof datasources.$inferSelect, refresh = false): Promise<{ schema: DatasourceSchema, loadedAt: string }> {
  const cached = schemaCache.get(datasource.id)
  // a datasource edited since the cache was filled must not serve the old catalog
  if (cached && !refresh && Date.now() - cached.loadedAt < SCHEMA_TTL_MS && cached.loadedAt >= datasource.updatedAt.getTime()) {
    return { schema: await cached.schema, loadedAt: new Date(cached.loadedAt).toISOString() }
  }
  const entry: CachedSchema = { loadedAt: Date.now(), schema: getConnector(datasource.type).introspect(connectionSettingsFor(datasource)) }
  schemaCache.set(datasource.id, entry)
  try {
    return { schema: await entry.schema, loadedAt: new Date(entry.loadedAt).toISOString() }
  }
  catch (error) {
    // a failure is not cached: the next request tries again
    if (schemaCache.get(datasource.id) === entry) schemaCache.delete(datasource.id)
    throw error
  }
}
