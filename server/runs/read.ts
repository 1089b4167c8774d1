// Reading runs for the API: one run of the caller's org (another org's id is a 404, the
// same as an unknown one), and its stored result metadata for pages and exports.
import { createError } from 'h3'
import type { Run } from '../../db/schema'
import { getResultMeta, type ResultMeta } from '../results/read'
import { findInOrg } from '../utils/org-objects'


export async function getRun(orgId: string, runId: string): Promise<Run> {
  return findInOrg('run', orgId, runId)
}

/**
 * The result metadata of a run the caller already read (through the access check, so
 * a page costs one run read, not two); 409 while the run has not succeeded, 410 once
 * retention deleted it.
 */
export async function requireResult(run: Run): Promise<ResultMeta> {
  if (run.status !== 'succeeded') {
    throw createError({ statusCode: 409, message: `Run is ${run.status}: only a succeeded run has a result` })
  }
  const meta = await getResultMeta(run.orgId, run.id)
  if (!meta) throw createError({ statusCode: 410, message: 'This result has expired and was deleted: run the query again' })
  return meta
}
