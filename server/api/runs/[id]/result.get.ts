// One page of a run's result: `{columns, rows, rowCount, truncated, offset}`; limit ≤ 10,000,
// fewer rows once they pass TESSERA_PAGE_MAX_BYTES (at least one).
import { idParams } from '#shared/ids'
import { resultPageSchema } from '#shared/schemas/queries'
import { readPage } from '../../../results/read'
import { requireRunResultAccess } from '../../../access/objects'

export default defineEventHandler(async (event) => {
  const auth = requireRole(event, 'viewer')
  const { id } = readValidParams(event, idParams)
  const { offset, limit } = readValidQuery(event, resultPageSchema)
  const { meta } = await requireRunResultAccess(auth, id)
  return { ...await readPage(meta, offset, limit), limit }
})
