// One page of a run's result: `{columns, rows, rowCount, truncated, offset}`; limit ≤ 10,000.
import { idParams } from '#shared/ids'
import { resultPageSchema } from '#shared/schemas/queries'
import { readResultPage } from '../../../results/read'
import { requireResult } from '../../../runs/read'

export default defineEventHandler(async (event) => {
  const auth = requireRole(event, 'viewer')
  const { id } = readValidParams(event, idParams)
  const { offset, limit } = readValidQuery(event, resultPageSchema)
  await requireResult(auth.orgId, id)
  const page = await readResultPage(auth.orgId, id, offset, limit)
  if (!page) throw createError({ statusCode: 410, message: 'This result has expired and was deleted: run the query again' })
  return { ...page, limit }
})
