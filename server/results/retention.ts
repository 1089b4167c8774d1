// Retention, run by a pg-boss cron job on workers (server/worker/retention.ts): expired results are deleted (their S3
// objects first) and old run rows after them, in bounded batches so one pass never holds
// long locks. The latest succeeded result of every saved query is never deleted, however
// old: dashboards and API readers fall back on it.
import { useConfig } from '../config'
import { usePool } from '../utils/db'
import { logger } from '../utils/logger'
import { deletePrefix } from './s3'

const BATCH_SIZE = 200
const MAX_BATCHES_PER_PASS = 50

// true when run `ru` is the latest succeeded run of its saved query
const IS_LATEST_OF_QUERY = `ru.query_id IS NOT NULL AND ru.id = (
  SELECT latest.id FROM runs latest
  WHERE latest.query_id = ru.query_id AND latest.status = 'succeeded'
  ORDER BY latest.finished_at DESC NULLS LAST, latest.queued_at DESC LIMIT 1)`

/** Deletes up to one bounded pass of expired results; returns how many. */
export async function deleteExpiredResults(): Promise<number> {
  let deleted = 0
  for (let batch = 0; batch < MAX_BATCHES_PER_PASS; batch++) {
    const { rows } = await usePool().query<{ run_id: string, storage: string, object_prefix: string | null }>(`
      SELECT res.run_id, res.storage, res.object_prefix
      FROM results res JOIN runs ru ON ru.id = res.run_id
      WHERE res.expires_at < now() AND NOT (${IS_LATEST_OF_QUERY})
      LIMIT $1`, [BATCH_SIZE])
    if (rows.length === 0) break
    for (const row of rows) {
      if (row.storage === 's3' && row.object_prefix) await deletePrefix(row.object_prefix)
    }
    const runIds = rows.map(row => row.run_id)
    await usePool().query('DELETE FROM result_chunks WHERE run_id = ANY($1::uuid[])', [runIds])
    await usePool().query('DELETE FROM results WHERE run_id = ANY($1::uuid[])', [runIds])
    deleted += rows.length
    if (rows.length < BATCH_SIZE) break
  }
  return deleted
}

/** Deletes finished runs older than TESSERA_RUN_RETENTION_DAYS that no longer have a result; returns how many. */
export async function deleteOldRuns(): Promise<number> {
  let deleted = 0
  for (let batch = 0; batch < MAX_BATCHES_PER_PASS; batch++) {
    const { rowCount } = await usePool().query(`
      DELETE FROM runs WHERE id IN (
        SELECT ru.id FROM runs ru
        WHERE ru.queued_at < now() - $1 * interval '1 day'
          AND ru.status IN ('succeeded', 'failed', 'canceled', 'timed_out')
          AND NOT EXISTS (SELECT 1 FROM results res WHERE res.run_id = ru.id)
          AND NOT (${IS_LATEST_OF_QUERY})
        LIMIT $2)`, [useConfig().TESSERA_RUN_RETENTION_DAYS, BATCH_SIZE])
    deleted += rowCount ?? 0
    if ((rowCount ?? 0) < BATCH_SIZE) break
  }
  return deleted
}

export async function applyRetention(): Promise<{ results: number, runs: number }> {
  const results = await deleteExpiredResults()
  const runs = await deleteOldRuns()
  if (results || runs) logger.info('retention pass', { results, runs })
  return { results, runs }
}
