// Small helpers over RowBlock (types.ts): the one-row block a connector makes of a line
// it put together, and, for tests, a batch's row count and a block's rows one by one.
// The run itself never splits a block into rows (server/worker/execute-run.ts,
// server/results/store.ts).
import type { RowBlock } from './types'

/** A block of one row (a line put together from pieces, or cut to the caps). */
export function singleRowBlock(line: Buffer): RowBlock {
  return { bytes: line, ends: [line.length] }
}

/** Rows in a batch of blocks. */
export function rowsIn(batch: readonly RowBlock[]): number {
  let rows = 0
  for (const block of batch) rows += block.ends.length
  return rows
}

/** Each row of a block as its own view, newline included. */
export function blockLines(block: RowBlock): Buffer[] {
  return block.ends.map((end, row) => block.bytes.subarray(row === 0 ? 0 : block.ends[row - 1], end))
}
