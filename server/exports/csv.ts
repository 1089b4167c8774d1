// server/exports owns the downloadable forms of a stored result: CSV (RFC 4180), JSON
// and XLSX. Each streams the result chunk by chunk (server/results/read.ts) and never
// holds the whole result in memory. CSV and XLSX are opened in spreadsheets, so their
// text cells are kept from reading as formulas unless the caller asks for raw values.
import type { ResultColumn } from '../../db/schema'
import { neutralizeFormula } from './formulas'

function csvField(value: unknown, raw: boolean): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  const string = typeof value === 'string' ? value : JSON.stringify(value)
  const text = raw ? string : neutralizeFormula(string)
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

function csvLine(values: readonly unknown[], raw: boolean): string {
  return `${values.map(value => csvField(value, raw)).join(',')}\r\n`
}

/**
 * RFC 4180: a header row, CRLF line ends, fields with quotes, commas or line breaks quoted.
 * Text that a spreadsheet would take for a formula gets a leading apostrophe unless `raw`.
 */
export async function* csvLines(columns: readonly ResultColumn[], batches: AsyncIterable<unknown[][]>, raw = false): AsyncGenerator<string> {
  yield csvLine(columns.map(column => column.name), raw)
  for await (const rows of batches) {
    // one string per chunk: far fewer writes than one per row
    yield rows.map(row => csvLine(row, raw)).join('')
  }
}
