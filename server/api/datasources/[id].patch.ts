// Changes a datasource (admins). A config without a password keeps the stored one.
import { idParams } from '#shared/ids'
import { requireDatasourceAccess } from '../../access/check'
import { updateDatasourceSchema } from '#shared/schemas/queries'
import { toPublicDatasource, updateDatasource } from '../../datasources/datasources'

export default defineEventHandler(async (event) => {
  const auth = requireCan(event, 'datasource:manage')
  const { id } = readValidParams(event, idParams)
  await requireDatasourceAccess(auth, id, 'query')
  const input = await readValidBody(event, updateDatasourceSchema)
  const datasource = await updateDatasource(auth.orgId, id, input)
  logger.info('datasource updated', { datasourceId: id, orgId: auth.orgId })
  return { ...toPublicDatasource(datasource, true), access: 'query' as const }
})
