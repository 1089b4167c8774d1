// One group's grant on this datasource (admins): `{datasourceId, groupId, level}`, 404 when it has none.
import { datasourceGrantParams } from '#shared/schemas/groups'
import { getDatasourceGrant } from '../../../../access/grants'

export default defineEventHandler(async (event) => {
  const { orgId } = requireCan(event, 'group:manage')
  const { id, groupId } = readValidParams(event, datasourceGrantParams)
  return getDatasourceGrant(orgId, id, groupId)
})
