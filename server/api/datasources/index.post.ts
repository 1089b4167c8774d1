// Creates a datasource (admins). The password is encrypted at rest and never returned.
import { createDatasourceSchema } from '#shared/schemas/queries'
import { createDatasource, toPublicDatasource } from '../../datasources/datasources'

export default defineEventHandler(async (event) => {
  const auth = requireCan(event, 'datasource:manage')
  const input = await readValidBody(event, createDatasourceSchema)
  const datasource = await createDatasource(auth.orgId, input)
  logger.info('datasource created', { datasourceId: datasource.id, orgId: auth.orgId })
  setResponseStatus(event, 201)
  // admins reach every datasource; anyone else only once it is granted to their group
  return { ...toPublicDatasource(datasource, true), access: 'query' as const }
})
