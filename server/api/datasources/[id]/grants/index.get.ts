// The groups granted this datasource and their levels (admins).
import { idParams } from '#shared/ids'
import { listDatasourceGrants } from '../../../../access/grants'

export default defineEventHandler(async (event) => {
  const { orgId } = requireCan(event, 'group:manage')
  const { id } = readValidParams(event, idParams)
  return listDatasourceGrants(orgId, id)
})
