// A query's versions, newest first; versions written for a datasource hidden from the caller are left out.
import { idParams } from '#shared/ids'
import { datasourceAccess } from '../../../access/check'
import { requireQueryAccess } from '../../../access/objects'
import { listVersions } from '../../../queries/queries'

export default defineEventHandler(async (event) => {
  const auth = requireRole(event, 'viewer')
  const { id } = readValidParams(event, idParams)
  await requireQueryAccess(auth, id, 'view')
  return listVersions(auth.orgId, id, await datasourceAccess(auth))
})
