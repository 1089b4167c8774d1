// Makes an old version current again, saved as a new version (editors).
import { restoreVersionParams } from '#shared/schemas/queries'
import { restoreVersion, toPublicQuery } from '../../../../../queries/queries'

export default defineEventHandler(async (event) => {
  const auth = requireCan(event, 'query:write')
  const { id, version } = readValidParams(event, restoreVersionParams)
  const query = await restoreVersion(auth.orgId, auth.userId, id, version)
  logger.info('query version restored', { queryId: id, restored: version, version: query.version })
  return toPublicQuery(query)
})
