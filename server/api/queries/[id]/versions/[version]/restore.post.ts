// Makes an old version current again, saved as a new version (editors with `query` on
// the query's datasource and on the version's).
import { z } from 'zod'
import { idSchema } from '#shared/ids'
import { datasourceAccess } from '../../../../../access/check'
import { requireQueryAccess } from '../../../../../access/objects'
import { restoreVersion, toPublicQuery } from '../../../../../queries/queries'

const paramsSchema = z.object({ id: idSchema, version: z.coerce.number().int('must be a version number').positive('must be a version number') })

export default defineEventHandler(async (event) => {
  const auth = requireCan(event, 'query:write')
  const { id, version } = readValidParams(event, paramsSchema)
  await requireQueryAccess(auth, id, 'query')
  const query = await restoreVersion(auth.orgId, auth.userId, id, version, await datasourceAccess(auth))
  logger.info('query version restored', { queryId: id, restored: version, version: query.version })
  return toPublicQuery(query)
})
