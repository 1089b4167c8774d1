// Claims due schedules: in one transaction, lock due rows (SKIP LOCKED, so concurrent
// workers split the work), write one firing per schedule for its due slot (UNIQUE per
// slot: the database refuses a second), move next_fire_at to the first slot after now
// (downtime fires once, counting the missed slots), and send the fire job. A schedule
// whose previous runs are still queued or running gets a `skipped` firing instead.
// When the slot after the due one cannot be computed, the due slot still fires, but
// next_fire_at stays where it is and the reason is kept on the schedule (it shows as
// failing): the next tick claims it again, the UNIQUE slot refuses a second firing, and
// the computation is retried. Nothing is parked or skipped silently.
import type { PoolClient } from 'pg'
import type { PgBoss } from 'pg-boss'
import { slotAfter } from '#shared/schedules'
import { usePool } from '../utils/db'
import { logger } from '../utils/logger'
import { SCHEDULE_FIRE_QUEUE, type ScheduleFireJobData } from '../queue/queues'

interface DueRow {
  id: string
  org_id: string
  cron: string
  timezone: string
  next_fire_at: Date
  next_fire_error: string | null
  busy: boolean
}

export interface ClaimResult {
  claimed: number
  fired: string[]
  skipped: number
}

const FIRINGS_PER_JOB = 20
const PREVIOUS_STILL_RUNNING = 'previous firing still running'

/** Claims up to `limit` schedules due at `now`; returns the firings made ready to fire. */
export async function claimDueSchedules(boss: PgBoss, now: Date, limit: number): Promise<ClaimResult> {
  const client = await usePool().connect()
  try {
    await client.query('BEGIN')
    const result = await claimInTransaction(client, boss, now, limit)
    await client.query('COMMIT')
    return result
  }
  catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    throw error
  }
  finally {
    client.release()
  }
}

/** The slot after the due one, or the due slot kept (with the reason) when it cannot be computed. */
function nextSlot(row: DueRow, now: Date): { nextFireAt: Date, missedSlots: number, error: string | null } {
  try {
    return { ...slotAfter(row.cron, row.timezone, row.next_fire_at, now), error: null }
  }
  catch (error) {
    const reason = `cannot compute the next fire time of "${row.cron}" in ${row.timezone}: ${(error as Error)?.message ?? String(error)}`.slice(0, 2000)
    // logged when it starts or changes, not at every tick it stays
    if (reason !== row.next_fire_error) logger.error('schedule next fire time failed', { scheduleId: row.id, error: reason })
    return { nextFireAt: row.next_fire_at, missedSlots: 0, error: reason }
  }
}

async function claimInTransaction(client: PoolClient, boss: PgBoss, now: Date, limit: number): Promise<ClaimResult> {
  const { rows } = await client.query<DueRow>(`
    SELECT s.id, s.org_id, s.cron, s.timezone, s.next_fire_at, s.next_fire_error,
      (s.last_status = 'pending' OR EXISTS (
        SELECT 1 FROM runs r WHERE r.id = ANY(s.last_run_ids) AND r.status IN ('queued', 'running')
      )) AS busy
    FROM schedules s
    WHERE s.enabled AND s.next_fire_at <= $1
      -- one try per tick for a schedule whose next slot could not be computed
      AND (s.next_fire_error_at IS NULL OR s.next_fire_error_at < $1)
    ORDER BY s.next_fire_at
    LIMIT $2
    FOR UPDATE OF s SKIP LOCKED`, [now, limit])
  if (!rows.length) return { claimed: 0, fired: [], skipped: 0 }

  const ids: string[] = []
  const orgIds: string[] = []
  const dueAts: Date[] = []
  const nextFireAts: Date[] = []
  const missed: number[] = []
  const statuses: string[] = []
  const nextFireErrors: (string | null)[] = []
  for (const row of rows) {
    const next = nextSlot(row, now)
    ids.push(row.id)
    orgIds.push(row.org_id)
    dueAts.push(row.next_fire_at)
    nextFireAts.push(next.nextFireAt)
    missed.push(next.missedSlots)
    nextFireErrors.push(next.error)
    statuses.push(row.busy ? 'skipped' : 'pending')
  }

  const inserted = await client.query<{ id: string, schedule_id: string, status: string }>(`
    INSERT INTO schedule_firings (schedule_id, org_id, due_at, fired_at, status, reason, missed_slots, finished_at)
    SELECT s, o, d, $4, st, CASE WHEN st = 'skipped' THEN $5 END, m, CASE WHEN st = 'skipped' THEN $4::timestamptz END
    FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $6::text[], $7::int[]) AS t(s, o, d, st, m)
    ON CONFLICT (schedule_id, due_at) DO NOTHING
    RETURNING id, schedule_id, status`, [ids, orgIds, dueAts, now, PREVIOUS_STILL_RUNNING, statuses, missed])

  const firedScheduleIds = inserted.rows.filter(row => row.status === 'pending').map(row => row.schedule_id)
  await client.query(`
    UPDATE schedules s SET next_fire_at = t.n,
      last_fired_at = CASE WHEN s.id = ANY($3::uuid[]) THEN $4 ELSE s.last_fired_at END,
      last_status = CASE WHEN s.id = ANY($3::uuid[]) THEN 'pending' ELSE s.last_status END,
      next_fire_error = t.e,
      next_fire_error_at = CASE WHEN t.e IS NULL THEN NULL ELSE $4::timestamptz END
    FROM unnest($1::uuid[], $2::timestamptz[], $5::text[]) AS t(id, n, e)
    WHERE s.id = t.id`, [ids, nextFireAts, firedScheduleIds, now, nextFireErrors])

  const fired = inserted.rows.filter(row => row.status === 'pending').map(row => row.id)
  if (fired.length) {
    // small jobs, so every worker process takes a share of a big minute
    const jobs = []
    for (let start = 0; start < fired.length; start += FIRINGS_PER_JOB) {
      const data: ScheduleFireJobData = { firingIds: fired.slice(start, start + FIRINGS_PER_JOB) }
      jobs.push({ data, retryLimit: 3 })
    }
    await boss.insert(SCHEDULE_FIRE_QUEUE, jobs, {
      db: { executeSql: (text: string, values?: unknown[]) => client.query(text, values as unknown[]) },
    })
  }
  return { claimed: rows.length, fired, skipped: inserted.rows.length - fired.length }
}
