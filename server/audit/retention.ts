// Audit retention: rows older than TESSERA_AUDIT_RETENTION_DAYS (default 400) are
// deleted by the worker's retention job, in bounded batches. This is the only DELETE the
// append-only trigger lets through: it sets tessera.audit_retention for its own
// transaction only, so no other statement, then or later, inherits the permission.
import { useConfig } from '../config'
import { usePool } from '../utils/db'

const BATCH_SIZE = 1_000
const MAX_BATCHES_PER_PASS = 50

export async function deleteOldAuditRows(retentionDays = useConfig().TESSERA_AUDIT_RETENTION_DAYS): Promise<number> {
  let deleted = 0
  for (let batch = 0; batch < MAX_BATCHES_PER_PASS; batch++) {
    const client = await usePool().connect()
    let batchDeleted: number
    try {
      await client.query('BEGIN')
      await client.query(`SELECT set_config('tessera.audit_retention', 'on', true)`)
      const { rowCount } = await client.query(`
        DELETE FROM audit_log WHERE id IN (
          SELECT id FROM audit_log WHERE created_at < now() - $1 * interval '1 day' LIMIT $2)`, [retentionDays, BATCH_SIZE])
      await client.query('COMMIT')
      batchDeleted = rowCount ?? 0
    }
    catch (error) {
      await client.query('ROLLBACK')
      throw error
    }
    finally {
      client.release()
    }
    deleted += batchDeleted
    if (batchDeleted < BATCH_SIZE) break
  }
  return deleted
}
