// Lists the datasources the caller reaches (any grant level; admins: all of them), each
// with `access`, the caller's level on it. Viewers get id, name and type (enough to pick
// one); editors and admins also get the connection details (never the password).
import { datasourceAccess, levelOn } from '../../access/check'
import { listDatasources, toPublicDatasource } from '../../datasources/datasources'
import { can } from '#shared/roles'

export default defineEventHandler(async (event) => {
  const auth = requireRole(event, 'viewer')
  const access = await datasourceAccess(auth)
  const detailed = can(auth.role, 'datasource:read-config')
  return (await listDatasources(auth.orgId))
    .flatMap((datasource) => {
      const level = levelOn(access, datasource.id)
      return level ? [{ ...toPublicDatasource(datasource, detailed), access: level }] : []
    })
})
