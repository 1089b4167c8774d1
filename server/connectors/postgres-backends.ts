// Finding and ending a run's backend on a Postgres datasource. A run's connection is
// named `tessera-run-<id>` (application_name), so any Tessera process can find it in
// pg_stat_activity, even after the worker that opened it was killed: the reaper ends it
// before a run is retried, so a run never has two backends at once.
import type pg from 'pg'

// how often the wait for a terminated backend looks again
const POLL_MS = 100

export function runApplicationName(runId: string): string {
  return `tessera-run-${runId}`
}

/**
 * Terminates every backend of this run (pg_terminate_backend) and waits until none is
 * left, up to waitMs. True when the run has no backend any more. A role may terminate
 * its own backends, and a run's connection uses the datasource's role, so no extra
 * privilege is needed.
 */
export async function terminateRunBackends(client: pg.Client, runId: string, waitMs: number): Promise<boolean> {
  const deadline = Date.now() + waitMs
  for (;;) {
    const { rows } = await client.query<{ pid: number }>(
      `SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()`,
      [runApplicationName(runId)],
    )
    if (rows.length === 0) return true
    if (Date.now() >= deadline) return false
    await new Promise(done => setTimeout(done, POLL_MS))
  }
}
