// The fast path for statements without bound parameters: COPY (statement) TO STDOUT.
// Postgres streams text lines without per-row protocol messages, and the lines are
// stored as they are (server/results/copy-text.ts reads them back) instead of every
// value being parsed and re-encoded as JSON, which is where most of a big run's time
// went (bench/breakdown.ts). COPY takes no bind parameters, so parameterized runs keep
// the cursor. The statement was described first (postgres-describe.ts): it is
// exactly one statement, so wrapping it cannot turn it into several.
import type pg from 'pg'
import { to as copyTo } from 'pg-copy-streams'
import { singleRowBlock } from './row-blocks'
import type { RowBlock } from './types'
import { CappedCopyLine, type ValueCaps } from './value-caps'

const COPY_PREFIX = 'COPY (\n'
// COPY accepts only SELECT, VALUES, TABLE and DML with RETURNING: for anything else
// (SHOW, EXPLAIN, ...) Postgres refuses the COPY itself and the cursor runs it instead
const COPY_REFUSALS = new Set(['42601', '0A000'])

export function copyStatementFor(sql: string): string {
  // a final ';' ends the user's statement and cannot stand inside the parentheses; a
  // trailing line comment is closed by the newline before them
  return `${COPY_PREFIX}${sql.replace(/;\s*$/, '')}\n) TO STDOUT`
}

/** True when the error is COPY refusing this kind of statement, not the statement failing. */
export function isCopyRefusal(error: unknown): boolean {
  return COPY_REFUSALS.has((error as { code?: string })?.code ?? '')
}

/** Positions in errors point into the COPY text: shift them back onto the user's SQL. */
function onUserSql(error: unknown): unknown {
  const positioned = error as { position?: string }
  const position = Number(positioned?.position)
  if (position > COPY_PREFIX.length) positioned.position = String(position - COPY_PREFIX.length)
  return error
}

const NEWLINE = 0x0A

/**
 * Rows of `sql` as COPY text lines, in batches of about `batchRows`. Nothing is decoded:
 * the whole lines of each stream chunk become one block (a view of the bytes Postgres
 * sent), so a row costs a newline search, not an object. A line cut by the end of a
 * stream chunk, or longer than the caps allow, is put together by a CappedCopyLine as its
 * pieces arrive (linear in its length, whatever its length) and becomes a block of its own.
 */
export async function* copyRows(client: pg.Client, sql: string, batchRows: number, caps: ValueCaps): AsyncGenerator<RowBlock[]> {
  const stream = client.query(copyTo(copyStatementFor(sql)))
  // a line of this length or less cannot hold a value or a row past the caps
  const fastLineBytes = Math.min(caps.maxValueBytes, caps.maxRowBytes)
  let cutLine: CappedCopyLine | undefined
  let batch: RowBlock[] = []
  let rowsInBatch = 0
  const add = (block: RowBlock) => {
    batch.push(block)
    rowsInBatch += block.ends.length
  }
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let start = 0
      let end = chunk.indexOf(NEWLINE)
      if (cutLine) {
        cutLine.append(chunk.subarray(0, end === -1 ? chunk.length : end))
        if (end === -1) continue
        add(singleRowBlock(cutLine.finish()))
        cutLine = undefined
        start = end + 1
        end = chunk.indexOf(NEWLINE, start)
      }
      // the chunk's whole lines as one block, ended early around a line past the caps
      let blockStart = start
      let ends: number[] = []
      for (; end !== -1; start = end + 1, end = chunk.indexOf(NEWLINE, start)) {
        if (end - start < fastLineBytes) {
          ends.push(end + 1 - blockStart)
          continue
        }
        if (ends.length > 0) add({ bytes: chunk.subarray(blockStart, start), ends })
        add(singleRowBlock(cappedLine(chunk.subarray(start, end), caps)))
        ends = []
        blockStart = end + 1
      }
      if (ends.length > 0) add({ bytes: chunk.subarray(blockStart, start), ends })
      if (start < chunk.length) {
        cutLine = new CappedCopyLine(caps)
        cutLine.append(chunk.subarray(start))
      }
      if (rowsInBatch >= batchRows) {
        yield batch
        batch = []
        rowsInBatch = 0
      }
    }
  }
  catch (error) {
    throw onUserSql(error)
  }
  // every line COPY writes ends with a newline, so nothing is left over
  if (cutLine) throw new Error('COPY ended inside a line')
  if (batch.length) yield batch
}

function cappedLine(line: Buffer, caps: ValueCaps): Buffer {
  const capped = new CappedCopyLine(caps)
  capped.append(line)
  return capped.finish()
}
