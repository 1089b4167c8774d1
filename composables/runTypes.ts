// The shapes of the run and result routes (docs/ARCHITECTURE.md) as the pages read them.
import type { RunStatus, RunTrigger } from '#shared/runs'

export interface RunView {
  id: string
  status: RunStatus
  queryId?: string | null
  queryVersion?: number | null
  trigger?: RunTrigger
  triggeredBy?: string | null
  triggeredByName?: string | null
  queuedAt: string
  startedAt: string | null
  finishedAt: string | null
  rowCount: number | null
  byteCount: number | null
  truncated: boolean
  error: string | null
  // 1-based character offset into the compiled SQL (`sql`) Postgres blamed
  errorPosition?: number | null
  // the same position in the saved query's own text ({{placeholders}}), for runs of saved queries
  sourceErrorPosition?: number | null
  cached?: boolean
  // the compiled SQL ($n binds) the worker ran, when the route returns it
  sql?: string
  timings?: { queuedMs?: number, executingMs?: number, storingMs?: number }
}

export interface ResultColumnView { name: string, type: string }

export interface ResultPageView {
  columns: ResultColumnView[]
  rows: unknown[][]
  rowCount: number
  truncated: boolean
}
