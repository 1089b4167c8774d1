// Revokes a group's grant on this datasource (admins, 204); it takes effect on the members' next request.
import { datasourceGrantParams } from '#shared/schemas/groups'
import { removeDatasourceGrant } from '../../../../access/grants'

export default defineEventHandler(async (event) => {
  const { orgId } = requireCan(event, 'group:manage')
  const { id, groupId } = readValidParams(event, datasourceGrantParams)
  await removeDatasourceGrant(orgId, id, groupId)
  return deletedResponse(event)
})
