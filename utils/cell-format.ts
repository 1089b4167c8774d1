// How a result value reads in the grid: NULL, JSON for objects, and numbers with thousands
// separators. Numbers arrive as JSON numbers or exact Postgres text (int8, numeric): the
// digits are grouped as text, so nothing is rounded; copying a cell copies the raw value.
const numericText = /^([+-]?)(\d+)(\.\d+)?$/

export function groupDigits(value: number | string): string {
  const text = String(value)
  const match = numericText.exec(text)
  if (!match) return text
  const [, sign, whole, fraction = ''] = match
  return `${sign}${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction}`
}

export function isNumericColumn(type: string): boolean {
  return /^(int[248]?|float[48]|numeric|decimal|smallint|integer|bigint|real|double precision|money)$/i.test(type)
}

export function rawCellText(value: unknown): string {
  if (value === null) return 'NULL'
  if (value === undefined) return ''
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

export function displayCell(value: unknown, numeric: boolean): string {
  if (value === undefined) return '…'
  if (numeric && (typeof value === 'number' || typeof value === 'string')) return groupDigits(value)
  return rawCellText(value)
}

/** A rectangle of cells as tab-separated lines, as spreadsheets paste them. */
export function cellsAsTsv(rows: (unknown[] | undefined)[], firstColumn: number, lastColumn: number): string {
  return rows.map(row => Array.from({ length: lastColumn - firstColumn + 1 }, (_, offset) => {
    const value = row?.[firstColumn + offset]
    return value === null ? '' : rawCellText(value).replace(/[\t\n\r]/g, ' ')
  }).join('\t')).join('\n')
}
