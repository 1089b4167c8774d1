// The objects that lead to a datasource's data, loaded only through the check: a query
// and its versions, a run (status, result pages, exports, events), a visualization (its
// query's), a schedule of a query. Each answers the object's own 404 when its datasource
// is hidden from the caller, exactly as for an unknown id. Reading a run needs `view`
// whichever way it started: the engine's cache hands one run to every caller with the
// same SQL and values, so an editor's ad-hoc run may well be the answer to a saved query.
import { eq } from 'drizzle-orm'
import { queries } from '../../db/schema'
import type { GrantLevel } from '#shared/schemas/groups'
import { findRunWithResult, succeededResult, type RunResult } from '../results/run-result'
import { useDb } from '../utils/db'
import { findInOrg } from '../utils/org-objects'
import { requireDatasourceAccess, type AccessSubject } from './check'

export async function requireQueryAccess(subject: AccessSubject, queryId: string, level: GrantLevel) {
  const query = await findInOrg('query', subject.orgId, queryId)
  await requireDatasourceAccess(subject, query.datasourceId, level, 'query')
  return query
}

export async function requireRunAccess(subject: AccessSubject, runId: string) {
  const run = await findInOrg('run', subject.orgId, runId)
  await requireDatasourceAccess(subject, run.datasourceId, 'view', 'run')
  return run
}

/** A run's stored result, for its pages and exports: the run and its result's metadata read at once, through the same check. */
export async function requireRunResultAccess(subject: AccessSubject, runId: string): Promise<RunResult> {
  const { run, result } = await findRunWithResult(subject.orgId, runId)
  await requireDatasourceAccess(subject, run.datasourceId, 'view', 'run')
  return { run, meta: succeededResult(run, result) }
}

async function datasourceOfQuery(queryId: string): Promise<string> {
  const [query] = await useDb().select({ datasourceId: queries.datasourceId }).from(queries).where(eq(queries.id, queryId))
  return query!.datasourceId
}

export async function requireVisualizationAccess(subject: AccessSubject, visualizationId: string) {
  const visualization = await findInOrg('visualization', subject.orgId, visualizationId)
  await requireDatasourceAccess(subject, await datasourceOfQuery(visualization.queryId), 'view', 'visualization')
  return visualization
}

/** A schedule of a query needs `view` on it; a dashboard's schedule is everyone's (its tiles are checked when shown). */
export async function requireScheduleAccess(subject: AccessSubject, scheduleId: string) {
  const schedule = await findInOrg('schedule', subject.orgId, scheduleId)
  if (schedule.queryId) await requireDatasourceAccess(subject, await datasourceOfQuery(schedule.queryId), 'view', 'schedule')
  return schedule
}
