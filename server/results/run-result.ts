// A run's stored result as the API reads it (pages and exports): the run and its result's
// metadata in one query (the access check needs the run's datasource), and the one rule
// for when there is a result to read: 409 while the run has not succeeded, 410 once
// retention deleted it.
import { and, eq, sql } from 'drizzle-orm'
import { createError } from 'h3'
import { results, runs, type Run } from '../../db/schema'
import { preparedRead } from '../utils/db'
import { notFoundInOrg } from '../utils/org-objects'
import type { ResultMeta } from './read'

/** A succeeded run and its stored result's metadata. */
export interface RunResult { run: Run, meta: ResultMeta }

// the one read of a page or an export: the run (its status and datasource) with its result's metadata
const runWithResult = preparedRead('run_with_result', (db, name) => db.select({ run: runs, result: results }).from(runs)
  .leftJoin(results, eq(results.runId, runs.id))
  .where(and(eq(runs.id, sql.placeholder('runId')), eq(runs.orgId, sql.placeholder('orgId'))))
  .prepare(name))

/** A run of the org and its stored result's metadata (null without one), in one query; else the run's 404. */
export async function findRunWithResult(orgId: string, runId: string): Promise<{ run: Run, result: ResultMeta | null }> {
  const [row] = await runWithResult().execute({ runId, orgId })
  if (!row) notFoundInOrg('run')
  return row
}

/** A run's result: 409 while the run has not succeeded, 410 once retention deleted it. */
export function succeededResult(run: Run, result: ResultMeta | null | undefined): ResultMeta {
  if (run.status !== 'succeeded') {
    throw createError({ statusCode: 409, message: `Run is ${run.status}: only a succeeded run has a result` })
  }
  if (!result) throw createError({ statusCode: 410, message: 'This result has expired and was deleted: run the query again' })
  return result
}
