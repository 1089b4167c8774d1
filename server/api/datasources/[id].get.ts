// One datasource the caller reaches, with `access`, their level on it; a hidden one is a 404 like an unknown id.
import { idParams } from '#shared/ids'
import { can } from '#shared/roles'
import { levelOn, requireDatasourceAccess } from '../../access/check'
import { getDatasource, toPublicDatasource } from '../../datasources/datasources'

export default defineEventHandler(async (event) => {
  const auth = requireRole(event, 'viewer')
  const { id } = readValidParams(event, idParams)
  const access = await requireDatasourceAccess(auth, id, 'view')
  const datasource = await getDatasource(auth.orgId, id)
  return { ...toPublicDatasource(datasource, can(auth.role, 'datasource:read-config')), access: levelOn(access, id)! }
})
