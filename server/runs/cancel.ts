// Cancelling runs. A queued run is canceled at once (its job, when picked up, finds it no
// longer queued). A running one is flagged and its worker is told over NOTIFY; the worker
// that holds it aborts the execution (pg_cancel_backend) and records `canceled`.
import { and, eq, sql } from 'drizzle-orm'
import { runs, type Run } from '../../db/schema'
import { useDb } from '../utils/db'
import { logger } from '../utils/logger'
import { publishRunEvent } from './events'

export const RUN_CANCEL_CHANNEL = 'tessera_run_cancel'


/** Cancels a run of this org: the run as it now stands, or undefined when there is no such run. */
export async function requestRunCancel(orgId: string, runId: string): Promise<Run | undefined> {
  const db = useDb()
  const [queued] = await db.update(runs)
    .set({ status: 'canceled', cancelRequestedAt: sql`now()`, finishedAt: sql`now()` })
    .where(and(eq(runs.id, runId), eq(runs.orgId, orgId), eq(runs.status, 'queued')))
    .returning()
  if (queued) {
    await publishRunEvent(runId, { status: 'canceled' })
    return queued
  }
  const [running] = await db.update(runs)
    .set({ cancelRequestedAt: sql`coalesce(${runs.cancelRequestedAt}, now())` })
    .where(and(eq(runs.id, runId), eq(runs.orgId, orgId), eq(runs.status, 'running')))
    .returning()
  if (running) {
    await db.execute(sql`SELECT pg_notify(${RUN_CANCEL_CHANNEL}, ${runId})`)
    logger.info('run cancel requested', { runId })
    return running
  }
  // already finished (or never existed in this org)
  const [current] = await db.select().from(runs).where(and(eq(runs.id, runId), eq(runs.orgId, orgId)))
  return current
}
