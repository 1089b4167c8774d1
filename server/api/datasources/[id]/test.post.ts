// Tests a saved datasource's connection (editors with `query` on it): server version and
// warnings when the role could write. A failed connection is a 200 with ok: false, and
// the reason for admins.
import { idParams } from '#shared/ids'
import { can } from '#shared/roles'
import { testDatasource } from '../../../datasources/connection'
import { getDatasource } from '../../../datasources/datasources'
import { requireDatasourceAccess } from '../../../access/check'

export default defineEventHandler(async (event) => {
  const auth = requireCan(event, 'datasource:test')
  const { id } = readValidParams(event, idParams)
  await requireDatasourceAccess(auth, id, 'query')
  return testDatasource(await getDatasource(auth.orgId, id), can(auth.role, 'datasource:manage'))
})
