// Run quotas: how many runs people may have queued or running at once, and start per
// minute, per user and per org (TESSERA_QUOTA_*). Only runs a person asks for count (user,
// API and dashboard triggers); schedules are exempt, and so are answers from the cache and
// joined runs, which start nothing. Past a quota, enqueueing answers 429 with Retry-After.
import { H3Error } from 'h3'
import { sql } from 'drizzle-orm'
import type { RunTrigger } from '#shared/runs'
import { useConfig } from '../config'
import type { Database } from '../utils/db'

type Executor = Pick<Database, 'execute'>

// an active-runs quota frees up as runs finish: ask again after this long
const ACTIVE_RETRY_AFTER_SECONDS = 5

export class RunQuotaError extends H3Error<{ retryAfterSeconds: number, quota: string }> {
  constructor(message: string, readonly retryAfterSeconds: number, quota: string) {
    super(message)
    this.statusCode = 429
    this.statusMessage = 'Too Many Requests'
    this.data = { retryAfterSeconds, quota }
  }
}

interface QuotaCounts {
  org_active: number
  user_active: number
  org_recent: number
  user_recent: number
  // seconds until the oldest run of the last minute leaves the window (per org / per user)
  org_window_frees_in: number | null
  user_window_frees_in: number | null
}

/** Throws a RunQuotaError (429) when one more run would pass a quota of this org or user. */
export async function enforceRunQuota(db: Executor, run: { orgId: string, trigger: RunTrigger, triggeredBy: string | null }): Promise<void> {
  if (run.trigger === 'schedule') return
  const config = useConfig()
  const { rows } = await db.execute<QuotaCounts & Record<string, unknown>>(sql`
    SELECT
      count(*) FILTER (WHERE status IN ('queued', 'running'))::int AS org_active,
      count(*) FILTER (WHERE status IN ('queued', 'running') AND triggered_by = ${run.triggeredBy})::int AS user_active,
      count(*) FILTER (WHERE queued_at > now() - interval '1 minute')::int AS org_recent,
      count(*) FILTER (WHERE queued_at > now() - interval '1 minute' AND triggered_by = ${run.triggeredBy})::int AS user_recent,
      extract(epoch from min(queued_at) FILTER (WHERE queued_at > now() - interval '1 minute') + interval '1 minute' - now())::float8 AS org_window_frees_in,
      extract(epoch from min(queued_at) FILTER (WHERE queued_at > now() - interval '1 minute' AND triggered_by = ${run.triggeredBy}) + interval '1 minute' - now())::float8 AS user_window_frees_in
    FROM runs
    WHERE org_id = ${run.orgId} AND trigger <> 'schedule'
      AND (status IN ('queued', 'running') OR queued_at > now() - interval '1 minute')`)
  const counts = rows[0]!
  const windowWait = (seconds: number | null) => Math.max(1, Math.ceil(seconds ?? 60))
  if (run.triggeredBy && counts.user_active >= config.TESSERA_QUOTA_USER_ACTIVE_RUNS) {
    throw new RunQuotaError(`You have ${counts.user_active} runs queued or running, the most allowed at once (TESSERA_QUOTA_USER_ACTIVE_RUNS); try again when some have finished.`, ACTIVE_RETRY_AFTER_SECONDS, 'user-active')
  }
  if (counts.org_active >= config.TESSERA_QUOTA_ORG_ACTIVE_RUNS) {
    throw new RunQuotaError(`This organization has ${counts.org_active} runs queued or running, the most allowed at once (TESSERA_QUOTA_ORG_ACTIVE_RUNS); try again when some have finished.`, ACTIVE_RETRY_AFTER_SECONDS, 'org-active')
  }
  if (run.triggeredBy && counts.user_recent >= config.TESSERA_QUOTA_USER_RUNS_PER_MINUTE) {
    throw new RunQuotaError(`You started ${counts.user_recent} runs in the last minute, the most allowed (TESSERA_QUOTA_USER_RUNS_PER_MINUTE).`, windowWait(counts.user_window_frees_in), 'user-per-minute')
  }
  if (counts.org_recent >= config.TESSERA_QUOTA_ORG_RUNS_PER_MINUTE) {
    throw new RunQuotaError(`This organization started ${counts.org_recent} runs in the last minute, the most allowed (TESSERA_QUOTA_ORG_RUNS_PER_MINUTE).`, windowWait(counts.org_window_frees_in), 'org-per-minute')
  }
}
