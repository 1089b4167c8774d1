// A query_enum's choices for a person waiting on them: when the source query has never
// succeeded it is run once (on a worker, as any run) and waited for, bounded, so a new
// parameter shows its values instead of an empty list. Reading lives in
// server/queries/enum-values.ts; this adds the run, which that domain may not start.
import type { DatasourceAccess } from '../access/check'
import { queryEnumChoices, type EnumChoices } from '../queries/enum-values'
import { awaitRunEnd } from './await-end'
import { enqueueQueryRun } from './enqueue'

// how long a request for choices waits for the source's first run
const FIRST_RUN_WAIT_MS = 20_000
/** The choices, running the source first when it has never succeeded (on behalf of `userId`). */
export async function queryEnumChoicesRunning(orgId: string, userId: string, sourceQueryId: string, access: DatasourceAccess): Promise<EnumChoices | undefined> {
  const choices = await queryEnumChoices(orgId, sourceQueryId, access)
  if (!choices || choices.runId) return choices
  const { run } = await enqueueQueryRun({ orgId, queryId: sourceQueryId, trigger: 'user', triggeredBy: userId })
  await awaitRunEnd(orgId, run.id, FIRST_RUN_WAIT_MS)
  return queryEnumChoices(orgId, sourceQueryId, access)
}
