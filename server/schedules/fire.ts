// Turns claimed firings into runs. A job's firings are locked together (SKIP LOCKED) and
// only `pending` ones are fired, so a retried job never fires a firing twice; a crash in
// between leaves them pending and pg-boss retries the job (an identical run still queued
// is joined, not duplicated). Outcomes are written back in two set-based statements.
import type { PoolClient } from 'pg'
import { usePool } from '../utils/db'
import { logger } from '../utils/logger'
import { fireTarget } from './targets'

interface PendingFiring {
  id: string
  schedule_id: string
  org_id: string
  query_id: string | null
  dashboard_id: string | null
  params: Record<string, unknown>
  timezone: string
}

interface Outcome {
  firing: PendingFiring
  status: 'running' | 'succeeded' | 'failed'
  runIds: string[]
  failure: string | null
}

// targets fired at once per job: enqueueing is mostly waiting on the database
const PARALLEL_TARGETS = 4

export async function fireFirings(firingIds: string[]): Promise<void> {
  const client = await usePool().connect()
  try {
    await client.query('BEGIN')
    const { rows: firings } = await client.query<PendingFiring>(`
      SELECT f.id, f.schedule_id, f.org_id, s.query_id, s.dashboard_id, s.params, s.timezone
      FROM schedule_firings f JOIN schedules s ON s.id = f.schedule_id
      WHERE f.id = ANY($1::uuid[]) AND f.status = 'pending'
      FOR UPDATE OF f SKIP LOCKED`, [firingIds])
    const outcomes: Outcome[] = []
    for (let start = 0; start < firings.length; start += PARALLEL_TARGETS) {
      outcomes.push(...await Promise.all(firings.slice(start, start + PARALLEL_TARGETS).map(fireOne)))
    }
    if (outcomes.length) await recordOutcomes(client, outcomes)
    await client.query('COMMIT')
  }
  catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    throw error
  }
  finally {
    client.release()
  }
}

async function fireOne(firing: PendingFiring): Promise<Outcome> {
  try {
    const { runIds } = await fireTarget({
      orgId: firing.org_id,
      scheduleId: firing.schedule_id,
      queryId: firing.query_id,
      dashboardId: firing.dashboard_id,
      params: firing.params,
      timezone: firing.timezone,
    })
    // no runs to wait for (a dashboard without query tiles) is a success at once
    return { firing, status: runIds.length ? 'running' : 'succeeded', runIds, failure: null }
  }
  catch (error) {
    const failure = errorText(error)
    logger.warn('schedule firing failed', { scheduleId: firing.schedule_id, firingId: firing.id, queryId: firing.query_id, dashboardId: firing.dashboard_id, error: failure })
    return { firing, status: 'failed', runIds: [], failure }
  }
}

async function recordOutcomes(client: PoolClient, outcomes: Outcome[]): Promise<void> {
  const values = [
    outcomes.map(outcome => outcome.firing.id),
    outcomes.map(outcome => outcome.firing.schedule_id),
    outcomes.map(outcome => outcome.status),
    // uuid[][] must be rectangular, so run ids travel as one text each and are split back
    outcomes.map(outcome => outcome.runIds.join(',')),
    outcomes.map(outcome => outcome.failure),
  ]
  await client.query(`
    UPDATE schedule_firings f SET status = t.status, reason = t.failure,
      run_ids = CASE WHEN t.run_ids = '' THEN '{}'::uuid[] ELSE string_to_array(t.run_ids, ',')::uuid[] END,
      finished_at = CASE WHEN t.status = 'running' THEN NULL ELSE now() END
    FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[]) AS t(id, schedule_id, status, run_ids, failure)
    WHERE f.id = t.id`, values)
  await client.query(`
    UPDATE schedules s SET last_status = t.status,
      last_run_ids = CASE WHEN t.run_ids = '' THEN '{}'::uuid[] ELSE string_to_array(t.run_ids, ',')::uuid[] END,
      failure_streak = CASE WHEN t.status = 'failed' THEN s.failure_streak + 1 WHEN t.status = 'succeeded' THEN 0 ELSE s.failure_streak END,
      last_error = CASE WHEN t.status = 'failed' THEN t.failure ELSE s.last_error END,
      last_error_at = CASE WHEN t.status = 'failed' THEN now() ELSE s.last_error_at END
    FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[]) AS t(id, schedule_id, status, run_ids, failure)
    WHERE s.id = t.schedule_id`, values)
}

function errorText(error: unknown): string {
  const maybe = error as { statusMessage?: string, message?: string, data?: { issues?: { path: string, message: string }[] } }
  const issues = maybe?.data?.issues?.map(issue => `${issue.path}: ${issue.message}`).join('; ')
  return [maybe?.statusMessage ?? maybe?.message ?? String(error), issues].filter(Boolean).join(' — ').slice(0, 2000)
}
