// What a dashboard tile shows: the first TILE_ROW_LIMIT rows of a succeeded run (decoded
// pages kept in result-cache.ts), and while a refresh runs, the last good result and the
// last failure if it came after.
import { and, desc, eq, isNotNull, sql } from 'drizzle-orm'
import { runs, type Run } from '../../db/schema'
import { TILE_ROW_LIMIT, type TileResult } from '#shared/dashboards/served'
import { readResultPage } from '../results/read'
import { logger } from '../utils/logger'
import { preparedRead } from '../utils/db'
import { cachedPage, rememberPage } from './result-cache'

// the newest finished run of a cache key, and the newest that succeeded when that one did not
const latestFinishedRead = preparedRead('latest_finished_run', (db, name) => db.select().from(runs)
  .where(and(eq(runs.orgId, sql.placeholder('orgId')), eq(runs.cacheKey, sql.placeholder('cacheKey')), isNotNull(runs.finishedAt)))
  .orderBy(desc(runs.finishedAt)).limit(1)
  .prepare(name))
const latestSucceededRead = preparedRead('latest_succeeded_run', (db, name) => db.select().from(runs)
  .where(and(eq(runs.orgId, sql.placeholder('orgId')), eq(runs.cacheKey, sql.placeholder('cacheKey')), eq(runs.status, 'succeeded')))
  .orderBy(desc(runs.finishedAt)).limit(1)
  .prepare(name))

/** What a refreshing tile shows meanwhile: the last good result, and the last failure if it came after. */
export async function previousResult(orgId: string, cacheKey: string): Promise<{ result: TileResult | null, error: string | null }> {
  const keys = { orgId, cacheKey }
  const [lastFinished] = await latestFinishedRead().execute(keys)
  if (!lastFinished) return { result: null, error: null }
  if (lastFinished.status === 'succeeded') return { result: await readTileResult(orgId, lastFinished), error: null }
  const [lastSucceeded] = await latestSucceededRead().execute(keys)
  return {
    result: lastSucceeded ? await readTileResult(orgId, lastSucceeded) : null,
    error: lastFinished.error ?? `The last run ended ${lastFinished.status}`,
  }
}

export async function readTileResult(orgId: string, run: Run): Promise<TileResult | null> {
  try {
    let page = cachedPage(orgId, run.id)
    if (!page) {
      page = await readResultPage(orgId, run.id, 0, TILE_ROW_LIMIT)
      // an expired result reads as missing: the tile refreshes instead of failing
      if (!page) return null
      rememberPage(orgId, run.id, page)
    }
    return {
      runId: run.id,
      finishedAt: run.finishedAt?.toISOString() ?? null,
      columns: page.columns,
      rows: page.rows,
      rowCount: page.rowCount,
      truncated: page.truncated,
    }
  }
  catch (error) {
    // an expired result reads as missing: the tile refreshes instead of failing
    logger.warn('dashboard tile result unreadable', { orgId, runId: run.id, error: String(error) })
    return null
  }
}
