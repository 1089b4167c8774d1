// Turns claimed firings into runs. Each firing is locked while its target is fired and
// only a `pending` one is fired, so a retried job never fires a firing twice; a crash in
// between leaves it pending and pg-boss retries the job.
import { usePool } from '../utils/db'
import { logger } from '../utils/logger'
import { useFireTarget } from './targets'

interface PendingFiring {
  id: string
  schedule_id: string
  org_id: string
  query_id: string | null
  dashboard_id: string | null
  params: Record<string, unknown>
  timezone: string
}

export async function fireFirings(firingIds: string[]): Promise<void> {
  for (const firingId of firingIds) await fireOne(firingId)
}

async function fireOne(firingId: string): Promise<void> {
  const client = await usePool().connect()
  try {
    await client.query('BEGIN')
    const { rows: [firing] } = await client.query<PendingFiring>(`
      SELECT f.id, f.schedule_id, f.org_id, s.query_id, s.dashboard_id, s.params, s.timezone
      FROM schedule_firings f JOIN schedules s ON s.id = f.schedule_id
      WHERE f.id = $1 AND f.status = 'pending'
      FOR UPDATE OF f SKIP LOCKED`, [firingId])
    if (!firing) {
      await client.query('COMMIT')
      return
    }
    let runIds: string[] = []
    let failure: string | null = null
    try {
      ({ runIds } = await useFireTarget()({
        orgId: firing.org_id,
        scheduleId: firing.schedule_id,
        queryId: firing.query_id,
        dashboardId: firing.dashboard_id,
        params: firing.params,
        timezone: firing.timezone,
      }))
    }
    catch (error) {
      failure = errorText(error)
      logger.warn('schedule firing failed', { scheduleId: firing.schedule_id, firingId, queryId: firing.query_id, error: failure })
    }
    // no runs to wait for (a dashboard without query tiles) is a success at once
    const status = failure ? 'failed' : runIds.length ? 'running' : 'succeeded'
    await client.query(`
      UPDATE schedule_firings SET status = $2, run_ids = $3, reason = $4,
        finished_at = CASE WHEN $2 = 'running' THEN NULL ELSE now() END
      WHERE id = $1`, [firingId, status, runIds, failure])
    await client.query(`
      UPDATE schedules SET last_status = $2, last_run_ids = $3,
        failure_streak = CASE WHEN $2 = 'failed' THEN failure_streak + 1 WHEN $2 = 'succeeded' THEN 0 ELSE failure_streak END,
        last_error = CASE WHEN $2 = 'failed' THEN $4 ELSE last_error END,
        last_error_at = CASE WHEN $2 = 'failed' THEN now() ELSE last_error_at END
      WHERE id = $1`, [firing.schedule_id, status, runIds, failure])
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

function errorText(error: unknown): string {
  const maybe = error as { statusMessage?: string, message?: string, data?: { issues?: { path: string, message: string }[] } }
  const issues = maybe?.data?.issues?.map(issue => `${issue.path}: ${issue.message}`).join('; ')
  return [maybe?.statusMessage ?? maybe?.message ?? String(error), issues].filter(Boolean).join(' — ').slice(0, 2000)
}
