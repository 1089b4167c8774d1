// Lists the org's datasources: viewers get id, name and type (enough to pick one);
// editors and admins also get the connection details (never the password).
import { listDatasources, toPublicDatasource } from '../../datasources/datasources'
import { can } from '#shared/roles'

export default defineEventHandler(async (event) => {
  const auth = requireRole(event, 'viewer')
  const detailed = can(auth.role, 'datasource:read-config')
  return (await listDatasources(auth.orgId)).map(datasource => toPublicDatasource(datasource, detailed))
})
