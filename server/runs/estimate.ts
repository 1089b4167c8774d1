// Plan estimates (EXPLAIN, never executed) for the editor's "how big is this?" hint.
// The SQL is compiled and checked exactly as a run's would be (one statement, bound
// values), then planned by a worker: the web process never opens a datasource connection
// for user text. It waits for the worker's answer a little longer than the estimate's
// own timeout, so a request is never held open indefinitely.
import { createError } from 'h3'
import type { z } from 'zod'
import { sourcePosition, type CompiledSql } from '#shared/parameters/compile'
import type { adhocRunSchema, RunOptions } from '#shared/schemas/queries'
import { getDatasource } from '../datasources/datasources'
import { getQuery } from '../queries/queries'
import { sendAndAwait } from '../queue/await-job'
import { useBoss } from '../queue/boss'
import { ESTIMATE_QUEUE, ESTIMATE_TIMEOUT_MS, type EstimateJobData, type EstimateJobOutput } from '../queue/queues'
import { orgTimezone, prepareRunSql } from './enqueue'
import { runLimitsFor } from './limits'

export interface Estimate {
  rows: number
  cost: number
  plan: string
}

// time for a worker to pick the job up and connect, on top of the planning timeout
const QUEUE_ALLOWANCE_MS = 10_000

async function estimateOn(orgId: string, datasourceId: string, compiled: CompiledSql, options: RunOptions | undefined): Promise<Estimate> {
  const datasource = await getDatasource(orgId, datasourceId)
  // planning is quick; a short ceiling keeps a pathological plan from holding a request
  const timeoutMs = Math.min(runLimitsFor(options).timeoutMs, ESTIMATE_TIMEOUT_MS)
  const job: EstimateJobData = { orgId, datasourceId: datasource.id, sql: compiled.sql, bindValues: compiled.bindValues, timeoutMs }
  const answer = await sendAndAwait<EstimateJobData, EstimateJobOutput>(await useBoss(), ESTIMATE_QUEUE, job, timeoutMs + QUEUE_ALLOWANCE_MS)
  if (answer.state === 'timed-out') {
    throw createError({ statusCode: 503, message: answer.started ? 'The estimate took too long' : 'No worker picked up the estimate: is a worker running?' })
  }
  const output = answer.state === 'completed' ? answer.output : undefined
  if (output?.ok) return { rows: output.rows, cost: output.cost, plan: output.plan }
  if (output?.kind === 'query') {
    // the position is in the user's own SQL (placeholders and all), ready to highlight
    const position = output.position ? sourcePosition(compiled, output.position) ?? null : null
    throw createError({ statusCode: 422, message: output.message, data: { position, code: output.code } })
  }
  // the datasource could not be reached (connection refused, bad password, ...)
  throw createError({ statusCode: 502, message: `Could not reach the datasource: ${output?.message ?? 'the estimate failed on the worker'}` })
}

export async function estimateQuery(orgId: string, queryId: string, params: Record<string, unknown> | undefined): Promise<Estimate> {
  const query = await getQuery(orgId, queryId)
  const compiled = await prepareRunSql(orgId, query.sql, query.parameters, params, await orgTimezone(orgId))
  return estimateOn(orgId, query.datasourceId, compiled, query.options)
}

export async function estimateAdhoc(orgId: string, input: z.infer<typeof adhocRunSchema>): Promise<Estimate> {
  const compiled = await prepareRunSql(orgId, input.sql, input.parameters ?? [], input.params, await orgTimezone(orgId))
  return estimateOn(orgId, input.datasourceId, compiled, input.options)
}
