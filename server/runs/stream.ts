// Runs' status as server-sent events: `GET /api/runs/events?ids=…` (every run a page
// follows, over one connection: a dashboard refreshing twenty tiles must not open twenty
// streams when browsers allow about six per host) and `GET /api/runs/:id/events` (one).
// Every message is an `event: status` whose data carries the run's `id`: the full run
// first and when it ends, the published progress (status, rowCount, ...) in between. The
// stream subscribes BEFORE it reads the runs, so no change falls between the read and
// the subscription, and closes once every run has ended. Every KEEPALIVE_MS it sends an
// `event: ping` (keeps proxies from closing an idle stream) and re-reads the runs still
// going, so a lost NOTIFY cannot leave a client waiting forever. Every read of a run goes
// through the access check afresh, so a stream whose caller lost the run's datasource (a
// grant or a group membership removed) ends at the next read instead of running on.
import type { H3Event } from 'h3'
import { createEventStream } from 'h3'
import type { Run } from '../../db/schema'
import { isRunFinished } from '#shared/runs'
import type { AccessSubject } from '../access/check'
import { requireRunAccess } from '../access/objects'
import { useConfig } from '../config'
import { subscribeToRun, runEventsReady, type RunEvent } from './events'
import { toPublicRun } from './public'

/** Callers have checked every id (requireRunAccess: the one 404) before the stream opens. */
export async function streamRunEvents(event: H3Event, subject: AccessSubject, runIds: readonly string[]) {
  const ids = [...new Set(runIds)]
  const stream = createEventStream(event)
  const pending: RunEvent[] = []
  let deliver: ((runEvent: RunEvent) => void) | undefined
  await runEventsReady()
  const unsubscribes = ids.map(id => subscribeToRun(id, (runEvent) => {
    if (deliver) deliver(runEvent)
    else pending.push(runEvent)
  }))
  const going = new Set(ids)
  let closed = false
  let timer: NodeJS.Timeout | undefined
  const stopListening = () => {
    closed = true
    clearInterval(timer)
    for (const unsubscribe of unsubscribes) unsubscribe()
  }
  // a new subject object per read: access is resolved once per subject object (one
  // request's worth), and a stream outlives the request that opened it
  const readRun = (id: string) => requireRunAccess({ orgId: subject.orgId, userId: subject.userId, role: subject.role }, id)
  const end = async () => {
    if (closed) return
    stopListening()
    await stream.close()
  }
  const sendRun = async (run: Run) => {
    if (closed) return
    await stream.push({ event: 'status', data: JSON.stringify(toPublicRun(run)) })
    if (isRunFinished(run.status)) going.delete(run.id)
    if (going.size === 0) await end()
  }
  // hidden from the caller now (or gone): nothing more of it is sent
  const sendFullRun = (id: string) => readRun(id).then(sendRun, end)
  stream.onClosed(stopListening)

  const send = stream.send()
  for (const id of ids) await sendFullRun(id)
  if (!closed) {
    deliver = (runEvent) => {
      if (closed || !going.has(runEvent.runId)) return
      if (isRunFinished(runEvent.status)) void sendFullRun(runEvent.runId).catch(() => undefined)
      else void stream.push({ event: 'status', data: JSON.stringify({ id: runEvent.runId, ...runEvent, runId: undefined }) })
    }
    for (const runEvent of pending.splice(0)) deliver(runEvent)
    timer = setInterval(() => {
      void stream.push({ event: 'ping', data: new Date().toISOString() })
      for (const id of going) {
        void readRun(id).then(run => isRunFinished(run.status) ? sendRun(run) : undefined, end).catch(() => undefined)
      }
    }, useConfig().TESSERA_EVENTS_KEEPALIVE_SECONDS * 1000)
  }
  return send
}
