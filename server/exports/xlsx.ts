// XLSX export through exceljs's streaming WorkbookWriter: rows are committed as they are
// written, so memory stays flat whatever the result size. Numbers Postgres sends as text
// (int8, numeric) become spreadsheet numbers only when that loses nothing. Text cells are
// always written as strings (never formulas), and text that would turn into a formula
// once edited or saved as CSV gets a leading apostrophe unless `raw` (./formulas.ts).
import type { Writable } from 'node:stream'
import ExcelJS from 'exceljs'
import type { ResultColumn } from '../../db/schema'
import { neutralizeFormula } from './formulas'

const numericTypes = new Set(['int8', 'numeric', 'float4', 'float8', 'int2', 'int4', 'oid'])

function cellValue(value: unknown, numeric: boolean, raw: boolean): unknown {
  if (value === null || value === undefined) return null
  if (numeric && typeof value === 'string' && String(Number(value)) === value) return Number(value)
  if (typeof value !== 'string' && typeof value !== 'object') return value
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  return raw ? text : neutralizeFormula(text)
}

export async function writeXlsx(output: Writable, columns: readonly ResultColumn[], batches: AsyncIterable<unknown[][]>, raw = false): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useSharedStrings: false, useStyles: false })
  const sheet = workbook.addWorksheet('Result')
  sheet.addRow(columns.map(column => cellValue(column.name, false, raw))).commit()
  const numeric = columns.map(column => numericTypes.has(column.type))
  for await (const rows of batches) {
    for (const row of rows) sheet.addRow(row.map((value, index) => cellValue(value, numeric[index]!, raw))).commit()
  }
  sheet.commit()
  await workbook.commit()
}
