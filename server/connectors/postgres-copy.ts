// The fast path for statements without bound parameters: COPY (statement) TO STDOUT.
// Postgres streams text lines without per-row protocol messages, and the lines are
// stored as they are (server/results/copy-text.ts reads them back) instead of every
// value being parsed and re-encoded as JSON, which is where most of a big run's time
// went (bench/breakdown.ts). COPY takes no bind parameters, so parameterized runs keep
// the cursor. The statement was described first (postgres-describe.ts): it is
// exactly one statement, so wrapping it cannot turn it into several.
import { StringDecoder } from 'node:string_decoder'
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

/** Rows of `sql` as COPY text lines (without their newlines), in batches of about `batchRows`. */
export async function* copyRows(client: pg.Client, sql: string, batchRows: number): AsyncGenerator<string[]> {
  const stream = client.query(copyTo(copyStatementFor(sql)))
  // chunks are not line-aligned, and may split a UTF-8 character
  const decoder = new StringDecoder('utf8')
  let partialLine = ''
  let batch: string[] = []
  try {
    for await (const chunk of stream) {
      const lines = (partialLine + decoder.write(chunk as Buffer)).split('\n')
      partialLine = lines.pop()!
      for (const line of lines) batch.push(line)
      if (batch.length >= batchRows) {
        yield batch
        batch = []
      }
    }
  }
  catch (error) {
    throw onUserSql(error)
  }
  // every line COPY writes ends with a newline, so nothing is left here but the decoder's end
  partialLine += decoder.end()
  if (partialLine) batch.push(partialLine)
  if (batch.length) yield batch
}
