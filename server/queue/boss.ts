// Owns Tessera's one pg-boss instance per process. The web process uses it to send
// jobs (inside the same transaction as the row they act on); workers also work them.
// Queue names, payloads and options live in queues.ts; this layer imports no domain.
import { PgBoss } from 'pg-boss'
import { useConfig } from '../config'
import { ensureQueues } from './queues'
import { reportQueueError } from './queue-errors'

let booting: Promise<PgBoss> | undefined

export function useBoss(): Promise<PgBoss> {
  booting ??= startBoss()
  return booting
}

async function startBoss(): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: useConfig().DATABASE_URL,
    application_name: `tessera-${useConfig().APP_ROLE}-queue`,
    // workers are woken the moment a job is sent instead of at the next poll
    useListenNotify: true,
    // only workers run maintenance and cron; the web process just sends
    supervise: useConfig().APP_ROLE === 'worker',
    schedule: useConfig().APP_ROLE === 'worker',
  })
  boss.on('error', reportQueueError)
  await boss.start()
  await ensureQueues(boss)
  return boss
}

export async function stopBoss(): Promise<void> {
  if (!booting) return
  const boss = await booting
  booting = undefined
  await boss.stop({ graceful: true, timeout: 20_000 })
}
