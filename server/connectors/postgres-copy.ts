// The fast path for statements without bound parameters: COPY (statement) TO STDOUT.
// Postgres streams text lines without per-row protocol messages, and the lines are
// stored as they are (server/results/copy-text.ts reads them back) instead of every
// value being parsed and re-encoded as JSON, which is where most of a big run's time
// went (bench/breakdown.ts). COPY takes no bind parameters, so parameterized runs keep
// the cursor. The statement was described first (postgres-describe.ts): it is
// exactly one statement, so wrapping it cannot turn it into several.
import type pg from 'pg'
import { to as copyTo } from 'pg-copy-streams'

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
 * Rows of `sql` as COPY text lines, each a Buffer view of the bytes Postgres sent (its
 * newline included), in batches of about `batchRows`. Nothing is decoded: the lines are
 * stored as they are, so a row costs a newline search and a view, not a string.
 */
export async function* copyRows(client: pg.Client, sql: string, batchRows: number): AsyncGenerator<Buffer[]> {
  const stream = client.query(copyTo(copyStatementFor(sql)))
  // stream chunks are not line-aligned: the start of a line cut by a chunk's end waits here
  let partialLine: Buffer | undefined
  let batch: Buffer[] = []
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let start = 0
      let end = chunk.indexOf(NEWLINE)
      if (partialLine && end !== -1) {
        batch.push(Buffer.concat([partialLine, chunk.subarray(0, end + 1)]))
        partialLine = undefined
        start = end + 1
        end = chunk.indexOf(NEWLINE, start)
      }
      for (; end !== -1; start = end + 1, end = chunk.indexOf(NEWLINE, start)) batch.push(chunk.subarray(start, end + 1))
      if (start < chunk.length) partialLine = partialLine ? Buffer.concat([partialLine, chunk.subarray(start)]) : chunk.subarray(start)
      if (batch.length >= batchRows) {
        yield batch
        batch = []
      }
    }
  }
  catch (error) {
    throw onUserSql(error)
  }
  // every line COPY writes ends with a newline, so nothing is left over
  if (partialLine) throw new Error('COPY ended inside a line')
  if (batch.length) yield batch
}
