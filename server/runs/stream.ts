// A run's status as server-sent events (`GET /api/runs/:id/events`). Every message is an
// `event: status` whose data is the run (the full run first and last; in between the
// published progress: status, rowCount, ...). The stream subscribes BEFORE it reads the
// run, so no change falls between the read and the subscription; it ends after a
// finished status. Every KEEPALIVE_MS it sends an `event: ping` (keeps proxies from
// closing an idle stream) and re-reads the run, so a lost NOTIFY cannot leave a client
// waiting forever.
import type { H3Event } from 'h3'
import { createEventStream } from 'h3'
import { isRunFinished } from '#shared/runs'
import { subscribeToRun, runEventsReady, type RunEvent } from './events'
import { toPublicRun } from './public'
import { getRun } from './read'

const KEEPALIVE_MS = 15_000

export async function streamRunEvents(event: H3Event, orgId: string, runId: string) {
  // 404 before any stream is opened
  await getRun(orgId, runId)
  const stream = createEventStream(event)
  const pending: RunEvent[] = []
  let deliver: ((runEvent: RunEvent) => void) | undefined
  await runEventsReady()
  const unsubscribe = subscribeToRun(runId, (runEvent) => {
    if (deliver) deliver(runEvent)
    else pending.push(runEvent)
  })
  let finished = false
  let timer: NodeJS.Timeout | undefined
  const finish = async () => {
    if (finished) return
    finished = true
    clearInterval(timer)
    unsubscribe()
    await stream.close()
  }
  const sendFullRun = async () => {
    const run = await getRun(orgId, runId)
    await stream.push({ event: 'status', data: JSON.stringify(toPublicRun(run)) })
    if (isRunFinished(run.status)) await finish()
    return run
  }
  stream.onClosed(() => {
    finished = true
    clearInterval(timer)
    unsubscribe()
  })

  const send = stream.send()
  const first = await sendFullRun()
  if (!isRunFinished(first.status)) {
    deliver = (runEvent) => {
      if (finished) return
      if (isRunFinished(runEvent.status)) void sendFullRun().catch(() => finish())
      else void stream.push({ event: 'status', data: JSON.stringify({ id: runId, ...runEvent, runId: undefined }) })
    }
    for (const runEvent of pending.splice(0)) deliver(runEvent)
    timer = setInterval(() => {
      void stream.push({ event: 'ping', data: new Date().toISOString() })
      void getRun(orgId, runId).then((run) => {
        if (isRunFinished(run.status)) return sendFullRun()
      }).catch(() => finish())
    }, KEEPALIVE_MS)
  }
  return send
}
