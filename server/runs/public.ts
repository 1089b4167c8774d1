// The API shape of a run (`GET /api/runs/:id`, docs/ARCHITECTURE.md). The compiled SQL and bound
// values are included for the run's history view: they are the caller's own org's data.
import type { Run } from '../../db/schema'

export function toPublicRun(run: Run, cached = false) {
  return {
    id: run.id,
    status: run.status,
    queryId: run.queryId,
    queryVersion: run.queryVersion,
    datasourceId: run.datasourceId,
    trigger: run.trigger,
    triggeredBy: run.triggeredBy,
    scheduleId: run.scheduleId,
    // the SQL as executed ($n placeholders); errorPosition points into this text
    sql: run.sql,
    params: run.params,
    limits: run.limits,
    queuedAt: run.queuedAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    timings: run.timings,
    rowCount: run.rowCount,
    byteCount: run.byteCount,
    truncated: run.truncated,
    error: run.error,
    errorPosition: run.errorPosition,
    cancelRequested: run.cancelRequestedAt !== null,
    cached,
  }
}
export type PublicRun = ReturnType<typeof toPublicRun>

/**
 * The short form of the same run that a dashboard tile carries: state and counts, never
 * the SQL or the bound values (a dashboard shows data, not how it was asked for).
 */
export function toRunSummary(run: Run) {
  const { id, status, queuedAt, startedAt, finishedAt, rowCount, truncated, error } = toPublicRun(run)
  return { id, status, queuedAt, startedAt, finishedAt, rowCount, truncated, error }
}
export type RunSummary = ReturnType<typeof toRunSummary>
