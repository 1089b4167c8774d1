// Tests a saved datasource's connection (editors): server version and warnings when the
// role could write. A failed connection is a 200 with ok: false and the reason.
import { idParams } from '#shared/ids'
import { testDatasource } from '../../../datasources/connection'
import { getDatasource } from '../../../datasources/datasources'

export default defineEventHandler(async (event) => {
  const auth = requireCan(event, 'datasource:test')
  const { id } = readValidParams(event, idParams)
  return testDatasource(await getDatasource(auth.orgId, id))
})
