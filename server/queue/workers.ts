// The list of queues a worker process works. Each domain exposes a register function;
// adding a capability to the worker means adding one line here.
import type { PgBoss } from 'pg-boss'
import { registerResultRetention } from '../results/retention'
import { registerRunWorker } from '../runs/worker'

export async function startWorkers(boss: PgBoss): Promise<void> {
  await registerRunWorker(boss)
  await registerResultRetention(boss)
}
