// Plan estimates (EXPLAIN, never executed) for the editor's "how big is this?" hint.
// The SQL is compiled exactly as a run would be, so the estimate is of what would run;
// EXPLAIN without ANALYZE plans the statement without executing it, inside the
// connector's read-only transaction with the run timeout.
import { createError } from 'h3'
import type { z } from 'zod'
import { sourcePosition, type CompiledSql } from '#shared/parameters/compile'
import type { ParameterDefinition } from '#shared/parameters/types'
import type { adhocRunSchema, RunOptions } from '#shared/schemas/queries'
import { connectionSettingsFor, getConnector } from '../connectors'
import { QueryError } from '../connectors/types'
import { useConfig } from '../config'
import { getDatasource } from '../datasources/datasources'
import { getQuery } from '../queries/queries'
import { orgTimezone, prepareRunSql } from './enqueue'
import { runLimitsFor } from './limits'

export interface Estimate {
  rows: number
  cost: number
  plan: string
}

async function estimateOn(orgId: string, datasourceId: string, compiled: CompiledSql, options: RunOptions | undefined): Promise<Estimate> {
  const datasource = await getDatasource(orgId, datasourceId)
  // planning is quick; a short ceiling keeps a pathological plan from holding a web request
  const timeoutMs = Math.min(runLimitsFor(options).timeoutMs, 30_000)
  try {
    return await getConnector(datasource.type).estimate(connectionSettingsFor(datasource), {
      runId: 'estimate',
      sql: compiled.sql,
      bindValues: compiled.bindValues,
      timeoutMs,
      lockTimeoutMs: useConfig().TESSERA_LOCK_TIMEOUT_MS,
    })
  }
  catch (error) {
    if (error instanceof QueryError) {
      // the position is in the user's own SQL (placeholders and all), ready to highlight
      const position = error.position ? sourcePosition(compiled, error.position) ?? null : null
      throw createError({ statusCode: 422, message: error.message, data: { position, code: error.code ?? null } })
    }
    // the datasource could not be reached (connection refused, bad password, ...)
    throw createError({ statusCode: 502, message: `Could not reach the datasource: ${error instanceof Error ? error.message : String(error)}` })
  }
}

export async function estimateQuery(orgId: string, queryId: string, params: Record<string, unknown> | undefined): Promise<Estimate> {
  const query = await getQuery(orgId, queryId)
  const compiled = await prepareRunSql(orgId, query.sql, query.parameters as ParameterDefinition[], params, await orgTimezone(orgId))
  return estimateOn(orgId, query.datasourceId, compiled, query.options as RunOptions)
}

export async function estimateAdhoc(orgId: string, input: z.infer<typeof adhocRunSchema>): Promise<Estimate> {
  const compiled = await prepareRunSql(orgId, input.sql, input.parameters ?? [], input.params, await orgTimezone(orgId))
  return estimateOn(orgId, input.datasourceId, compiled, input.options)
}
