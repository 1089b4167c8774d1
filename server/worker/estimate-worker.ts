// Works estimate jobs: the editor's "how big is this?" plan, computed here because only a
// worker opens a datasource connection for user text. The connector plans exactly one
// statement (extended protocol) inside BEGIN READ ONLY under the estimate's timeout; the
// answer (or the reason there is none) is the job's output, which the waiting web reads.
import type { PgBoss } from 'pg-boss'
import { connectionSettingsFor, getConnector } from '../connectors'
import { QueryError } from '../connectors/types'
import { useConfig } from '../config'
import { getDatasource } from '../datasources/datasources'
import { ESTIMATE_QUEUE, type EstimateJobData, type EstimateJobOutput } from '../queue/queues'
import { logger } from '../utils/logger'

// estimates are short: a couple at once per worker keeps them from waiting behind runs
const ESTIMATE_SLOTS = 2

export async function estimateJob(data: EstimateJobData, jobId: string): Promise<EstimateJobOutput> {
  try {
    const datasource = await getDatasource(data.orgId, data.datasourceId)
    const estimate = await getConnector(datasource.type).estimate(connectionSettingsFor(datasource), {
      runId: jobId,
      sql: data.sql,
      bindValues: data.bindValues,
      timeoutMs: data.timeoutMs,
      lockTimeoutMs: useConfig().TESSERA_LOCK_TIMEOUT_MS,
    })
    return { ok: true, ...estimate }
  }
  catch (error) {
    if (error instanceof QueryError) return { ok: false, kind: 'query', message: error.message, position: error.position ?? null, code: error.code ?? null }
    logger.warn('estimate could not reach its datasource', { datasourceId: data.datasourceId, error: String(error) })
    return { ok: false, kind: 'unreachable', message: error instanceof Error ? error.message : String(error) }
  }
}

export async function registerEstimateWorker(boss: PgBoss): Promise<void> {
  for (let slot = 0; slot < ESTIMATE_SLOTS; slot++) {
    await boss.work<EstimateJobData, EstimateJobOutput>(ESTIMATE_QUEUE, { batchSize: 1, pollingIntervalSeconds: 1, notifyPollingIntervalSeconds: 1 }, async ([job]) => estimateJob(job!.data, job!.id))
  }
}
