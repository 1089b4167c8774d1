// Deletes a datasource (admins); 409 while saved queries use it.
import { idParams } from '#shared/ids'
import { requireDatasourceAccess } from '../../access/check'
import { deleteDatasource } from '../../datasources/datasources'

export default defineEventHandler(async (event) => {
  const auth = requireCan(event, 'datasource:manage')
  const { id } = readValidParams(event, idParams)
  await requireDatasourceAccess(auth, id, 'query')
  await deleteDatasource(auth.orgId, id)
  logger.info('datasource deleted', { datasourceId: id, orgId: auth.orgId })
  return deletedResponse(event)
})
