// The API shape of a run (`GET /api/runs/:id`, docs/ARCHITECTURE.md). The compiled SQL and bound
// values are included for the run's history view: they are the caller's own org's data.
import type { runs } from '../../db/schema'

export function toPublicRun(run: typeof runs.$inferSelect, cached = false) {
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
