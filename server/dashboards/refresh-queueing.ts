// Queueing a stale dashboard tile's refresh without making its view wait for it: the
// view waits at most QUEUE_WAIT_MS, views of the same tile in this process share one
// queueing, and a refresh another process is queueing at that moment is left to it.
import { enqueueNewRunUnlessUnderWay, type EnqueueResult, type PreparedRun } from '../runs/enqueue'

// How long a view waits for a stale tile's refresh to be queued. A quiet install queues
// it in a few milliseconds and the tile comes with the run to follow. When a hundred
// viewers open a stale dashboard at once, each queueing transaction waits for a pooled
// connection and on the other web processes' locks on the same runs (a few hundred
// milliseconds): the view does not wait for that, it serves the last good result.
export const QUEUE_WAIT_MS = 25

// Refreshes being queued by this process: views arriving meanwhile wait on the same one
// instead of queueing on its lock. The engine's single flight still decides across
// processes: a refresh another process is queueing at this moment is left to it (its
// lock is not waited for), and the next view finds its run.
const refreshesQueueing = new Map<string, Promise<EnqueueResult | null>>()

export function queueRefresh(orgId: string, prepared: PreparedRun): Promise<EnqueueResult | null> {
  const key = `${orgId}:${prepared.cacheKey}`
  let queueing = refreshesQueueing.get(key)
  if (!queueing) {
    queueing = enqueueNewRunUnlessUnderWay(prepared).finally(() => refreshesQueueing.delete(key))
    // a view that stopped waiting does not handle its failure: the next view queues again
    queueing.catch(() => {})
    refreshesQueueing.set(key, queueing)
  }
  return queueing
}

export type Settled<T> = { failed: false, value: T | undefined } | { failed: true, error: unknown }

/** The promise's outcome if it settles within `ms`; `value` undefined when it did not. */
export function settledWithin<T>(promise: Promise<T>, ms: number): Promise<Settled<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<Settled<T>>((done) => { timer = setTimeout(() => done({ failed: false, value: undefined }), ms) })
  const settled = promise.then(value => ({ failed: false as const, value }), (error: unknown) => ({ failed: true as const, error }))
  return Promise.race([settled, late]).finally(() => clearTimeout(timer))
}
