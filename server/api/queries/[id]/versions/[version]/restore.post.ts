// Makes an old version current again, saved as a new version (editors with `query` on
// the query's datasource and on the version's).
import { restoreVersionParams } from '#shared/schemas/queries'
import { datasourceAccess } from '../../../../../access/check'
import { requireQueryAccess } from '../../../../../access/objects'
import { restoreVersion, toPublicQuery } from '../../../../../queries/queries'

export default defineEventHandler(async (event) => {
  const auth = requireCan(event, 'query:write')
  const { id, version } = readValidParams(event, restoreVersionParams)
  await requireQueryAccess(auth, id, 'query')
  const query = await restoreVersion(auth.orgId, auth.userId, id, version, await datasourceAccess(auth))
  logger.info('query version restored', { queryId: id, restored: version, version: query.version })
  return toPublicQuery(query)
})
