// server/exports owns the downloadable forms of a stored result: CSV (RFC 4180), JSON
// and XLSX. Each streams the result chunk by chunk (server/results/read.ts) and never
// holds the whole result in memory.
import type { ResultColumn } from '../../db/schema'

function csvField(value: unknown): string {
  if (value === null || value === undefined) return ''
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value)
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvField).join(',')}\r\n`
}

/** RFC 4180: a header row, CRLF line ends, fields with quotes, commas or line breaks quoted. */
export async function* csvLines(columns: readonly ResultColumn[], batches: AsyncIterable<unknown[][]>): AsyncGenerator<string> {
  yield csvLine(columns.map(column => column.name))
  for await (const rows of batches) {
    // one string per chunk: far fewer writes than one per row
    yield rows.map(csvLine).join('')
  }
}
