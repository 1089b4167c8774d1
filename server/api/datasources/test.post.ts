// Tests an unsaved connection config (admins, before they save it): fixed catalog SQL only.
import { testDatasourceSchema } from '#shared/schemas/queries'
import { testConnection } from '../../datasources/connection'

export default defineEventHandler(async (event) => {
  requireCan(event, 'datasource:manage')
  const { type, config, allowPrivilegedRole } = await readValidBody(event, testDatasourceSchema)
  const { password, ...rest } = config
  return testConnection(type, { config: rest, password, allowPrivilegedRole })
})
