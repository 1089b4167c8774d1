// Registers retention on the worker: a pg-boss cron job (pg-boss runs a cron once across
// all workers) that applies the result and run-history retention of server/results and
// the audit log's retention (server/audit/retention.ts).
import type { PgBoss } from 'pg-boss'
import { useConfig } from '../config'
import { RETENTION_QUEUE } from '../queue/queues'
import { applyRetention } from '../results/retention'
import { deleteOldAuditRows } from '../audit/retention'

export async function registerResultRetention(boss: PgBoss): Promise<void> {
  // TESSERA_RETENTION_CRON: every 10 minutes by default
  await boss.schedule(RETENTION_QUEUE, useConfig().TESSERA_RETENTION_CRON)
  await boss.work(RETENTION_QUEUE, async () => {
    await applyRetention()
    await deleteOldAuditRows()
  })
}
