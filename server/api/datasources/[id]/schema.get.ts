// The datasource's schemas, tables, columns and types for the schema browser and the
// editor's autocomplete (editors with `query` on it). Cached a minute per datasource;
// ?refresh=1 reloads.
import { idParams } from '#shared/ids'
import { catalogQuery } from '#shared/schemas/queries'
import { datasourceSchema } from '../../../datasources/connection'
import { getDatasource } from '../../../datasources/datasources'
import { requireDatasourceAccess } from '../../../access/check'

export default defineEventHandler(async (event) => {
  const auth = requireCan(event, 'catalog:read')
  const { id } = readValidParams(event, idParams)
  const { refresh } = readValidQuery(event, catalogQuery)
  await requireDatasourceAccess(auth, id, 'query')
  const datasource = await getDatasource(auth.orgId, id)
  try {
    const { schema, loadedAt } = await datasourceSchema(datasource, refresh === '1' || refresh === 'true')
    return { datasourceId: id, loadedAt, tables: schema.tables }
  }
  catch (error) {
    logger.warn('schema introspection failed', { datasourceId: id, error: String(error) })
    throw createError({ statusCode: 502, message: `Could not read the datasource's schema: ${error instanceof Error ? error.message : String(error)}` })
  }
})
