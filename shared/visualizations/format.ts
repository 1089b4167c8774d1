// Number formatting and conditional colours for charts, stats and tables. Result values
// arrive as JSON numbers or exact Postgres text (int8, numeric); both read as numbers here.
import type { NumberFormat, TableColumnConfig, dateFormats } from '../schemas/visualizations'

type DateFormat = (typeof dateFormats)[number]

export function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (typeof value === 'string' && value.trim() !== '') {
    const number = Number(value)
    return Number.isFinite(number) ? number : null
  }
  if (typeof value === 'boolean') return value ? 1 : 0
  return null
}

export function formatNumber(value: unknown, format?: Partial<NumberFormat>): string {
  const number = toNumber(value)
  if (number === null) return value === null || value === undefined ? '—' : String(value)
  const decimals = format?.decimals
  const style = format?.style ?? 'number'
  const options: Intl.NumberFormatOptions = decimals === undefined ? { maximumFractionDigits: 2 } : { minimumFractionDigits: decimals, maximumFractionDigits: decimals }
  let text: string
  if (style === 'percent') text = new Intl.NumberFormat('en-US', { ...options, style: 'percent' }).format(number)
  else if (style === 'compact') text = new Intl.NumberFormat('en-US', { ...options, notation: 'compact' }).format(number)
  else text = new Intl.NumberFormat('en-US', options).format(number)
  return `${format?.prefix ?? ''}${text}${format?.suffix ?? ''}`
}

const timeTypes = new Set(['date', 'timestamp', 'timestamptz', 'timestamp with time zone', 'timestamp without time zone'])
const numberTypes = new Set(['int2', 'int4', 'int8', 'float4', 'float8', 'numeric', 'smallint', 'integer', 'bigint', 'real', 'double precision', 'decimal', 'money'])

export function isTimeType(type: string): boolean {
  return timeTypes.has(type.toLowerCase())
}

export function isNumberType(type: string): boolean {
  return numberTypes.has(type.toLowerCase())
}

export function conditionalColor(value: unknown, column: Pick<TableColumnConfig, 'conditions'>): string | null {
  for (const condition of column.conditions) {
    const left = toNumber(value)
    const right = toNumber(condition.value)
    const comparable = left !== null && right !== null
    const a = comparable ? left : String(value)
    const b = comparable ? right : String(condition.value)
    const matches = condition.operator === '>' ? a > b
      : condition.operator === '>=' ? a >= b
        : condition.operator === '<' ? a < b
          : condition.operator === '<=' ? a <= b
            : condition.operator === '=' ? a === b
              : a !== b
    if (matches) return condition.color
  }
  return null
}

export const DAY_MS = 86_400_000
const monthNames = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/**
 * Labels a time value (epoch ms, shown in UTC as Postgres printed it). `auto` shows days
 * for a `date` column or a span over two days, else hours and minutes; a `date` column
 * never shows a time of day.
 */
export function formatTimestamp(milliseconds: number, spanMilliseconds: number, style: DateFormat = 'auto', isDateOnly = false): string {
  const iso = new Date(milliseconds).toISOString()
  const chosen = style !== 'auto' ? style : isDateOnly || spanMilliseconds > 2 * DAY_MS ? 'day' : spanMilliseconds > 0 ? 'time' : 'datetime'
  const effective = isDateOnly && (chosen === 'time' || chosen === 'datetime') ? 'day' : chosen
  if (effective === 'year') return iso.slice(0, 4)
  if (effective === 'month') return `${monthNames[Number(iso.slice(5, 7)) - 1]} ${iso.slice(0, 4)}`
  if (effective === 'day') return iso.slice(0, 10)
  if (effective === 'time') return iso.slice(11, 16)
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`
}
