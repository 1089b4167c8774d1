// Sends a job and waits, bounded, for a worker to finish it: for short requests whose
// answer the web needs (estimates) but must not compute itself. The job's state is read
// from pg-boss's table every POLL_MS; the wait ends at the deadline whatever the worker
// does, and a job no worker has started by then is cancelled so it never runs late.
import type { PgBoss } from 'pg-boss'

const POLL_MS = 50

export type AwaitedJob<Output> =
  | { state: 'completed', output: Output }
  | { state: 'failed', output: unknown }
  | { state: 'timed-out', started: boolean }

export async function sendAndAwait<Data extends object, Output>(boss: PgBoss, queue: string, data: Data, waitMs: number): Promise<AwaitedJob<Output>> {
  const id = await boss.send(queue, data)
  if (!id) throw new Error(`the ${queue} job was not queued`)
  const deadline = Date.now() + waitMs
  let started = false
  while (Date.now() < deadline) {
    await new Promise(done => setTimeout(done, POLL_MS))
    const job = await boss.getJobById<Data>(queue, id)
    if (!job) continue
    if (job.state === 'completed') return { state: 'completed', output: job.output as Output }
    if (job.state === 'failed' || job.state === 'cancelled') return { state: 'failed', output: job.output }
    started ||= job.state === 'active'
  }
  await boss.cancel(queue, id).catch(() => {})
  return { state: 'timed-out', started }
}
