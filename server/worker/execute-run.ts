// Executes one run on a worker: take a slot of the datasource (or hand the run back),
// claim the run if it is still queued, stream its rows from the connector into the
// result store under max rows / max bytes, and record the outcome, timings and events.
// Only this module (on the worker) executes user SQL; the web never does.
import { and, eq, sql } from 'drizzle-orm'
import { datasources, runs, type Run, type RunTimings } from '../../db/schema'
import { connectionSettingsFor, getConnector } from '../connectors'
import { QueryError, type Execution } from '../connectors/types'
import { useConfig } from '../config'
import { ResultWriter } from '../results/store'
import { useDb } from '../utils/db'
import { logger } from '../utils/logger'
import { publishRunEvent } from '../runs/events'
import { tryAcquireDatasourceSlot } from './datasource-slots'
import { startHeartbeat } from './run-heartbeat'
import { deadlineMessage, startRunDeadline } from './run-deadline'
import { handBackRun, isHandingBack } from './run-shutdown'
import { workerId } from './worker-id'

type Datasource = typeof datasources.$inferSelect

// progress events: at most this often, and only after this many new rows
const PROGRESS_INTERVAL_MS = 250
const PROGRESS_ROWS = 2_000

// runs executing in this process, so a cancel request heard over NOTIFY can reach them
const activeRuns = new Map<string, AbortController>()

/** Aborts the run if this process is executing it. */
export function cancelActiveRun(runId: string): void {
  activeRuns.get(runId)?.abort()
}

/** Runs this process is executing now (graceful shutdown waits for them). */
export function activeRunIds(): string[] {
  return [...activeRuns.keys()]
}

export type RunOutcome = 'finished' | 'no-slot'

/** Works one job. 'no-slot' means the datasource is at its cap: the caller re-queues the run. */
export async function processRun(runId: string): Promise<RunOutcome> {
  const db = useDb()
  const [run] = await db.select().from(runs).where(eq(runs.id, runId))
  // canceled while queued, already worked by another worker, or deleted
  if (!run || run.status !== 'queued') return 'finished'
  const [datasource] = await db.select().from(datasources).where(eq(datasources.id, run.datasourceId))
  if (!datasource) return 'finished'
  const slot = await tryAcquireDatasourceSlot(datasource.id, datasource.maxConcurrentRuns)
  if (!slot) return 'no-slot'
  try {
    const [claimed] = await db.update(runs)
      .set({ status: 'running', startedAt: sql`now()`, heartbeatAt: sql`now()`, workerId, attempts: sql`${runs.attempts} + 1` })
      .where(and(eq(runs.id, runId), eq(runs.status, 'queued')))
      .returning()
    if (claimed) await executeClaimed(claimed, datasource)
  }
  finally {
    await slot.release()
  }
  return 'finished'
}

async function executeClaimed(run: Run, datasource: Datasource): Promise<void> {
  const log = { runId: run.id, queryId: run.queryId, datasourceId: datasource.id }
  const timings: RunTimings = { queuedMs: run.startedAt!.getTime() - run.queuedAt.getTime() }
  const abort = new AbortController()
  activeRuns.set(run.id, abort)
  const heartbeat = startHeartbeat(run.id, () => abort.abort())
  const deadline = startRunDeadline(run.limits.timeoutMs, () => logger.warn('run deadline reached: stopping it on the datasource', log))
  await publishRunEvent(run.id, { status: 'running', rowCount: 0 })
  logger.info('run started', { ...log, attempt: run.attempts })
  const writer = new ResultWriter(run)
  let execution: Execution | undefined
  let rowCount = 0
  let byteCount = 0
  let truncated = false
  let executingMs = 0
  let storingMs = 0
  const executingStarted = Date.now()
  try {
    await writer.start()
    // a cancel that arrived between the claim and now was not heard over NOTIFY
    const [current] = await useDb().select({ cancelRequestedAt: runs.cancelRequestedAt }).from(runs).where(eq(runs.id, run.id))
    if (current?.cancelRequestedAt) abort.abort()
    execution = await getConnector(datasource.type).execute(connectionSettingsFor(datasource), {
      runId: run.id,
      sql: run.sql,
      bindValues: run.bindValues,
      timeoutMs: run.limits.timeoutMs,
      lockTimeoutMs: useConfig().TESSERA_LOCK_TIMEOUT_MS,
      valueCaps: { maxValueBytes: useConfig().TESSERA_MAX_VALUE_BYTES, maxRowBytes: useConfig().TESSERA_MAX_ROW_BYTES },
      signal: abort.signal,
      deadline: deadline.signal,
    })
    executingMs = Date.now() - executingStarted
    writer.setRowFormat(execution.rowFormat)
    const { maxRows, maxBytes } = run.limits
    let progressAt = Date.now()
    let progressRows = 0
    const batches = execution.batches[Symbol.asyncIterator]()
    for (;;) {
      const fetchStarted = Date.now()
      const next = await batches.next()
      executingMs += Date.now() - fetchStarted
      if (next.done) break
      for (const block of next.value) {
        // the rows of the block within the limits: every one, unless a limit is reached in it
        let kept = 0
        let keptEnd = 0
        for (const end of block.ends) {
          if (rowCount >= maxRows || byteCount + end - keptEnd > maxBytes) {
            truncated = true
            break
          }
          rowCount++
          byteCount += end - keptEnd
          keptEnd = end
          kept++
        }
        writer.addRows(block, kept)
        if (truncated) break
      }
      const storeStarted = Date.now()
      await writer.flush()
      storingMs += Date.now() - storeStarted
      if (truncated) break
      if (rowCount - progressRows >= PROGRESS_ROWS && Date.now() - progressAt >= PROGRESS_INTERVAL_MS) {
        progressAt = Date.now()
        progressRows = rowCount
        void publishRunEvent(run.id, { status: 'running', rowCount })
      }
    }
    // limits reached: stop the statement rather than read rows nobody keeps
    if (truncated) await batches.return?.(undefined)
    // every row is read and the connection closed: storing is not the datasource's time
    deadline.stop()
    if (abort.signal.aborted) throw new QueryError('canceling statement due to user request', undefined, '57014')
    const storeStarted = Date.now()
    await writer.finish({ columns: execution.columns, rowCount, byteCount, truncated })
    storingMs += Date.now() - storeStarted
    Object.assign(timings, { executingMs, storingMs })
    await finishRun(run.id, { status: 'succeeded', rowCount, byteCount, truncated, timings })
    await publishRunEvent(run.id, { status: 'succeeded', rowCount, truncated })
    logger.info('run succeeded', { ...log, rowCount, byteCount, truncated, ...timings })
  }
  catch (error) {
    await execution?.close().catch(() => {})
    await writer.discard().catch(discardError => logger.warn('could not discard a partial result', { ...log, error: String(discardError) }))
    Object.assign(timings, { executingMs: executingMs || Date.now() - executingStarted, storingMs })
    // stopped by a graceful shutdown: back to the queue, for another worker to run from the start
    if (isHandingBack(run.id)) return await handBackRun(run, datasource)
    const outcome = deadline.reached
      ? { status: 'timed_out' as const, error: deadlineMessage(run.limits.timeoutMs), errorPosition: null }
      : failureOf(error, run, abort.signal.aborted || await cancelWasRequested(run.id))
    await finishRun(run.id, { ...outcome, rowCount: 0, byteCount: 0, truncated: false, timings })
    await publishRunEvent(run.id, { status: outcome.status, error: outcome.error ?? undefined })
    logger.info(`run ${outcome.status}`, { ...log, error: outcome.error, ...timings })
  }
  finally {
    heartbeat.stop()
    deadline.stop()
    activeRuns.delete(run.id)
  }
}

const QUERY_CANCELED = '57014'

/** A cancel whose NOTIFY this worker missed still counts as the user's, not as a timeout. */
async function cancelWasRequested(runId: string): Promise<boolean> {
  const [current] = await useDb().select({ cancelRequestedAt: runs.cancelRequestedAt }).from(runs).where(eq(runs.id, runId))
  return Boolean(current?.cancelRequestedAt)
}

function failureOf(error: unknown, run: Run, canceled: boolean): { status: 'failed' | 'canceled' | 'timed_out', error: string | null, errorPosition: number | null } {
  if (canceled) return { status: 'canceled', error: null, errorPosition: null }
  if (error instanceof QueryError) {
    // 57014 without a cancel request from a user: the statement_timeout fired
    if (error.code === QUERY_CANCELED) return { status: 'timed_out', error: `The query ran longer than its ${run.limits.timeoutMs} ms timeout and was stopped.`, errorPosition: null }
    return { status: 'failed', error: error.message, errorPosition: error.position ?? null }
  }
  logger.error('run failed unexpectedly', { runId: run.id, error: String((error as Error)?.stack ?? error) })
  return { status: 'failed', error: error instanceof Error ? error.message : String(error), errorPosition: null }
}

async function finishRun(runId: string, values: { status: Run['status'], rowCount: number, byteCount: number, truncated: boolean, timings: RunTimings, error?: string | null, errorPosition?: number | null }): Promise<void> {
  await useDb().update(runs)
    .set({ ...values, finishedAt: sql`now()`, heartbeatAt: null })
    // only the worker that holds the run may finish it (the reaper may have handed it on)
    .where(and(eq(runs.id, runId), eq(runs.status, 'running'), eq(runs.workerId, workerId)))
}
