// Waits, bounded, for a run to end: for the few web answers that need a run's outcome
// (a query_enum's choices when the source query has never run). The worker runs it; the
// web only listens for its end event, or re-reads the row in case it ended first.
import { isRunFinished } from '#shared/runs'
import { runEventsReady, subscribeToRun } from './events'
import { getRun } from './read'

export async function awaitRunEnd(orgId: string, runId: string, waitMs: number): Promise<void> {
  await runEventsReady()
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, waitMs)
    const unsubscribe = subscribeToRun(runId, (event) => { if (isRunFinished(event.status)) done() })
    function done() {
      clearTimeout(timer)
      unsubscribe()
      resolve()
    }
    getRun(orgId, runId).then((run) => { if (isRunFinished(run.status)) done() }, done)
  })
}
