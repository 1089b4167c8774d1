// JSON export: `{"columns": [...], "rows": [[...], ...], "rowCount": n, "truncated": b}`,
// written chunk by chunk.
import type { ResultColumn } from '../../db/schema'

export async function* jsonParts(columns: readonly ResultColumn[], batches: AsyncIterable<unknown[][]>, rowCount: number, truncated: boolean): AsyncGenerator<string> {
  yield `{"columns":${JSON.stringify(columns)},"rows":[`
  let first = true
  for await (const rows of batches) {
    if (rows.length === 0) continue
    yield (first ? '' : ',') + rows.map(row => JSON.stringify(row)).join(',')
    first = false
  }
  yield `],"rowCount":${rowCount},"truncated":${truncated}}`
}
