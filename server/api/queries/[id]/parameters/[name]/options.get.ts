// The choices of a parameter: an enum's fixed options, or a query_enum's values from the
// latest result of its source query (run once, on a worker, if it never ran). A source query on a
// datasource hidden from the caller offers no values.
import { parameterOptionsParams } from '#shared/schemas/queries'
import { queryEnumChoicesRunning } from '../../../../../runs/enum-choices'
import { datasourceAccess } from '../../../../../access/check'
import { requireQueryAccess } from '../../../../../access/objects'

export default defineEventHandler(async (event) => {
  const auth = requireRole(event, 'viewer')
  const { id, name } = readValidParams(event, parameterOptionsParams)
  const query = await requireQueryAccess(auth, id, 'view')
  const parameter = query.parameters.find(definition => definition.name === name)
  if (!parameter) throw createError({ statusCode: 404, message: `Parameter "${name}" not found` })
  if (parameter.type === 'enum') return { values: parameter.options ?? [], sourceQueryId: null, sourceRunId: null, updatedAt: null }
  if (parameter.type !== 'query_enum' || !parameter.queryId) throw createError({ statusCode: 400, message: `Parameter "${name}" is a ${parameter.type}, not an enum` })
  const choices = await queryEnumChoicesRunning(auth.orgId, auth.userId, parameter.queryId, await datasourceAccess(auth))
  return {
    values: choices?.values ?? [],
    sourceQueryId: parameter.queryId,
    sourceRunId: choices?.runId ?? null,
    updatedAt: choices?.finishedAt?.toISOString() ?? null,
  }
})
