// Scheduler health for the admin status page: how late the most overdue enabled
// schedule is (0 when none is due; it grows when no worker is ticking), how many
// firings are waiting for their fire job, and the schedules whose next fire time cannot
// be computed (kept due and retried every tick, see claim.ts): counted across the
// install, listed with their reason for the admin's own org.
import { usePool } from '../utils/db'

export interface FailingSchedule {
  id: string
  cron: string
  timezone: string
  reason: string
  since: string
}

export interface SchedulerStatus {
  lagSeconds: number
  dueSchedules: number
  pendingFirings: number
  failingSchedules: number
  failing: FailingSchedule[]
}

const FAILING_LISTED = 50

export async function schedulerStatus(orgId: string): Promise<SchedulerStatus> {
  // failing schedules stay due on purpose; they are reported apart, not as lag
  const { rows: [row] } = await usePool().query<{ lag: number | null, due: number, pending: number, failing: number }>(`
    SELECT extract(epoch FROM now() - min(next_fire_at) FILTER (WHERE next_fire_error IS NULL))::float8 AS lag,
      (count(*) FILTER (WHERE next_fire_error IS NULL))::int AS due,
      (SELECT count(*)::int FROM schedule_firings WHERE status = 'pending') AS pending,
      (SELECT count(*)::int FROM schedules WHERE enabled AND next_fire_error IS NOT NULL) AS failing
    FROM schedules WHERE enabled AND next_fire_at <= now()`)
  const { rows: failing } = await usePool().query<FailingSchedule>(`
    SELECT id, cron, timezone, next_fire_error AS reason, to_char(next_fire_error_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS since
    FROM schedules WHERE org_id = $1 AND enabled AND next_fire_error IS NOT NULL
    ORDER BY next_fire_at LIMIT $2`, [orgId, FAILING_LISTED])
  return {
    lagSeconds: Math.max(0, Math.round(row?.lag ?? 0)),
    dueSchedules: row?.due ?? 0,
    pendingFirings: row?.pending ?? 0,
    failingSchedules: row?.failing ?? 0,
    failing,
  }
}
