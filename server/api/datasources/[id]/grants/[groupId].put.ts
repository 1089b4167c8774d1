// Grants a group `view` or `query` on this datasource, or changes the level (admins).
import { datasourceGrantParams, grantBody } from '#shared/schemas/groups'
import { setDatasourceGrant } from '../../../../access/grants'

export default defineEventHandler(async (event) => {
  const { orgId } = requireCan(event, 'group:manage')
  const { id, groupId } = readValidParams(event, datasourceGrantParams)
  const { level } = await readValidBody(event, grantBody)
  return setDatasourceGrant(orgId, id, groupId, level)
})
