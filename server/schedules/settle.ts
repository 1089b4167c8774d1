// Follows running firings to their outcome: once every run of a firing has finished,
// the firing is succeeded (all runs succeeded) or failed (with the first error), and the
// schedule's last status, failure streak and last error follow. Run rows stay the truth,
// so this is a pass over open firings (cheap: a partial index) rather than a hook in
// the runner; the `status = 'running'` re-check makes two workers settle a firing once.
import { usePool } from '../utils/db'

// a claimed firing whose fire job has not run after this long was lost (its retries used up)
const LOST_AFTER = '10 minutes'

/** Settles finished firings; `now` is the scheduler's clock, which decides when a firing counts as lost. */
export async function settleFinishedFirings(now = new Date(), limit = 1000): Promise<number> {
  await failLostFirings(now)
  const { rowCount } = await usePool().query(`
    WITH done AS (
      SELECT f.id,
        bool_and(r.status = 'succeeded') AS ok,
        (array_agg(r.status || ': ' || coalesce(r.error, 'no error text') ORDER BY r.finished_at)
          FILTER (WHERE r.status <> 'succeeded'))[1] AS error,
        max(r.finished_at) AS finished_at
      FROM schedule_firings f
      JOIN runs r ON r.id = ANY(f.run_ids)
      WHERE f.status = 'running'
      GROUP BY f.id
      HAVING bool_and(r.status IN ('succeeded', 'failed', 'canceled', 'timed_out'))
      LIMIT $1
    ), settled AS (
      UPDATE schedule_firings f
      SET status = CASE WHEN done.ok THEN 'succeeded' ELSE 'failed' END,
        reason = done.error, finished_at = done.finished_at
      FROM done
      WHERE f.id = done.id AND f.status = 'running'
      RETURNING f.schedule_id, f.status, f.reason, f.finished_at, f.run_ids
    )
    UPDATE schedules s
    SET last_status = settled.status,
      failure_streak = CASE WHEN settled.status = 'failed' THEN s.failure_streak + 1 ELSE 0 END,
      last_error = CASE WHEN settled.status = 'failed' THEN settled.reason ELSE s.last_error END,
      last_error_at = CASE WHEN settled.status = 'failed' THEN settled.finished_at ELSE s.last_error_at END
    FROM settled
    -- a later firing may already be under way; only the latest one speaks for the schedule
    WHERE s.id = settled.schedule_id AND s.last_run_ids = settled.run_ids`, [limit])
  return rowCount ?? 0
}

async function failLostFirings(now: Date): Promise<void> {
  await usePool().query(`
    WITH lost AS (
      UPDATE schedule_firings SET status = 'failed', finished_at = $1,
        reason = 'the fire job did not run within ${LOST_AFTER} (worker trouble; see worker logs)'
      WHERE status = 'pending' AND fired_at < $1::timestamptz - interval '${LOST_AFTER}'
      RETURNING schedule_id, reason
    )
    UPDATE schedules s SET last_status = 'failed', failure_streak = s.failure_streak + 1,
      last_error = lost.reason, last_error_at = $1
    FROM lost WHERE s.id = lost.schedule_id AND s.last_status = 'pending'`, [now])
}
