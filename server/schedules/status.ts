// Scheduler health for the admin status page: how late the most overdue enabled
// schedule is (0 when none is due; it grows when no worker is ticking), and how many
// firings are waiting for their fire job.
import { usePool } from '../utils/db'

export interface SchedulerStatus {
  lagSeconds: number
  dueSchedules: number
  pendingFirings: number
}

export async function schedulerStatus(): Promise<SchedulerStatus> {
  const { rows: [row] } = await usePool().query<{ lag: number | null, due: number, pending: number }>(`
    SELECT extract(epoch FROM now() - min(next_fire_at))::float8 AS lag, count(*)::int AS due,
      (SELECT count(*)::int FROM schedule_firings WHERE status = 'pending') AS pending
    FROM schedules WHERE enabled AND next_fire_at <= now()`)
  return { lagSeconds: Math.max(0, Math.round(row?.lag ?? 0)), dueSchedules: row?.due ?? 0, pendingFirings: row?.pending ?? 0 }
}
