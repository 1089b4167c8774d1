// Reading runs for the API: one run of the caller's org (another org's id is a 404, the
// same as an unknown one). A run's stored result is read through server/results/run-result.ts.
import type { Run } from '../../db/schema'
import { findInOrg } from '../utils/org-objects'

export async function getRun(orgId: string, runId: string): Promise<Run> {
  return findInOrg('run', orgId, runId)
}
