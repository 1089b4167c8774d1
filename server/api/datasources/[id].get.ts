import { idParams } from '#shared/ids'
import { can } from '#shared/roles'
import { getDatasource, toPublicDatasource } from '../../datasources/datasources'

export default defineEventHandler(async (event) => {
  const auth = requireRole(event, 'viewer')
  const { id } = readValidParams(event, idParams)
  return toPublicDatasource(await getDatasource(auth.orgId, id), can(auth.role, 'datasource:read-config'))
})
