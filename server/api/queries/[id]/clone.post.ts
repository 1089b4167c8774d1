// Copies a query (editors) into a new one owned by the caller, at version 1.
import { idParams } from '#shared/ids'
import { cloneQueryBody } from '#shared/schemas/queries'
import { cloneQuery, toPublicQuery } from '../../../queries/queries'

export default defineEventHandler(async (event) => {
  const auth = requireCan(event, 'query:write')
  const { id } = readValidParams(event, idParams)
  const { name } = await readValidBody(event, cloneQueryBody)
  const query = await cloneQuery(auth.orgId, auth.userId, id, name)
  logger.info('query cloned', { queryId: query.id, from: id })
  setResponseStatus(event, 201)
  return toPublicQuery(query, { lastRun: null })
})
