// The shapes of the run and result routes (docs/ARCHITECTURE.md) as the pages read them.
import type { PublicRun } from '../server/runs/public'

/**
 * A run as the run routes answer it: the server's one serializer (toPublicRun), plus what
 * single routes add (the error mapped into the saved query's text; who started it).
 */
export type RunView = PublicRun & {
  // the error's 1-based position in the saved query's own text ({{placeholders}})
  sourceErrorPosition?: number | null
  triggeredByName?: string | null
  joined?: boolean
}

export interface ResultColumnView { name: string, type: string }

export interface ResultPageView {
  columns: ResultColumnView[]
  rows: unknown[][]
  rowCount: number
  truncated: boolean
}
