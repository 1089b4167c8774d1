// A saved query's run history: trigger, who, status, timings, rows, bytes, error.
import { and, desc, eq, lt } from 'drizzle-orm'
import { runs, users } from '../../db/schema'
import { useDb } from '../utils/db'
import { toPublicRun } from '../runs/public'
import { getQuery } from './queries'

export async function queryRunHistory(orgId: string, queryId: string, limit: number, before?: Date) {
  await getQuery(orgId, queryId)
  const conditions = [eq(runs.queryId, queryId), eq(runs.orgId, orgId)]
  if (before) conditions.push(lt(runs.queuedAt, before))
  const rows = await useDb().select({ run: runs, triggeredByName: users.name }).from(runs)
    .leftJoin(users, eq(users.id, runs.triggeredBy))
    .where(and(...conditions)).orderBy(desc(runs.queuedAt)).limit(limit)
  return rows.map(row => ({ ...toPublicRun(row.run), triggeredByName: row.triggeredByName }))
}
