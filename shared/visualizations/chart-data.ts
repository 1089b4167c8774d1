// Shapes a result page into chart.js datasets. Numeric and time x axes get pre-shaped
// {x, y} points (chart.js `parsing: false`, so it never re-reads the data, and long line
// series can be decimated); time values become epoch milliseconds on a linear axis, which
// avoids a date adapter. Category x axes use labels.
import type { PieConfig, XyConfig } from '../schemas/visualizations'
import { isNumberType, isTimeType, toNumber } from './format'

export const palette = ['#2563eb', '#f97316', '#16a34a', '#dc2626', '#9333ea', '#0891b2', '#ca8a04', '#db2777', '#4b5563', '#65a30d']

export interface ResultLike {
  columns: { name: string, type: string }[]
  rows: unknown[][]
}

export interface ShapedSeries {
  label: string
  color: string
  points: { x: number, y: number | null }[] | (number | null)[]
}

export interface ShapedXy {
  xKind: 'time' | 'number' | 'category'
  // the x column's Postgres type (`date` ticks by whole days)
  xType: string
  labels: string[]
  series: ShapedSeries[]
  pointCount: number
}

export class ChartConfigError extends Error {}

function columnIndex(result: ResultLike, name: string): number {
  const index = result.columns.findIndex(column => column.name === name)
  if (index < 0) throw new ChartConfigError(`The result has no column "${name}"`)
  return index
}

function readX(kind: ShapedXy['xKind'], value: unknown): number | null {
  if (kind === 'time') return value === null || value === undefined ? null : parsePostgresTime(String(value))
  return toNumber(value)
}

/**
 * Epoch milliseconds of a Postgres date or timestamp as it prints it (`2026-01-02`,
 * `2026-01-02 00:00:00`, `2026-01-02 00:00:00.5+05:30`, `… +00`). Values without an
 * offset read as UTC, so a date is its UTC midnight whatever the browser's timezone.
 * `infinity` and BC dates give null.
 */
export function parsePostgresTime(text: string): number | null {
  const match = /^(\d{4,})-(\d\d)-(\d\d)(?:[ T](\d\d):(\d\d)(?::(\d\d(?:\.\d+)?))?)?(?:([+-])(\d\d)(?::?(\d\d))?(?::\d\d)?|Z)?$/.exec(text.trim())
  if (!match) return null
  const [, year, month, day, hour = '0', minute = '0', second = '0', sign, offsetHours = '0', offsetMinutes = '0'] = match
  const utc = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), 0) + Math.round(Number(second) * 1000)
  const offset = sign ? (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes)) * 60_000 : 0
  const time = utc - offset
  return Number.isFinite(time) ? time : null
}

function stringHash(text: string): number {
  let hash = 2166136261
  for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 16777619)
  return hash >>> 0
}

/**
 * A colour per series that depends on the series' name, not on the order rows came back
 * in: each name starts at its hash's palette slot and takes the next free one, in name
 * order, so the same set of series always gets the same colours.
 */
export function colorsByName(labels: string[], overrides: string[] = []): Map<string, string> {
  const colors = new Map<string, string>()
  const taken = new Set<number>()
  labels.forEach((label, index) => {
    const override = overrides[index]
    if (override) {
      colors.set(label, override)
      return
    }
    let slot = stringHash(label) % palette.length
    for (let tries = 0; taken.has(slot) && tries < palette.length; tries++) slot = (slot + 1) % palette.length
    taken.add(slot)
    colors.set(label, palette[slot]!)
  })
  return colors
}

const byName = new Intl.Collator('en', { numeric: true, sensitivity: 'base' })

export function shapeXy(result: ResultLike, config: Pick<XyConfig, 'x' | 'y' | 'series' | 'colors'>): ShapedXy {
  if (!config.x) throw new ChartConfigError('Choose a column for the X axis')
  if (!config.y?.length) throw new ChartConfigError('Choose at least one Y column')
  const xIndex = columnIndex(result, config.x)
  const xType = result.columns[xIndex]!.type
  const xKind: ShapedXy['xKind'] = isTimeType(xType) ? 'time' : isNumberType(xType) ? 'number' : 'category'
  const yIndexes = config.y.map(name => columnIndex(result, name))

  // long format: one y column split into one series per value of the series column
  const groups = new Map<string, unknown[][]>()
  if (config.series) {
    const seriesIndex = columnIndex(result, config.series)
    for (const row of result.rows) {
      const key = String(row[seriesIndex] ?? '(null)')
      let list = groups.get(key)
      if (!list) groups.set(key, list = [])
      list.push(row)
    }
  }
  // series from values are ordered by name, so the legend reads the same after every refresh
  const seriesSources: { label: string, rows: unknown[][], yIndex: number }[] = config.series
    ? [...groups.entries()].sort(([a], [b]) => byName.compare(a, b)).map(([label, rows]) => ({ label, rows, yIndex: yIndexes[0]! }))
    : yIndexes.map((yIndex, index) => ({ label: config.y[index]!, rows: result.rows, yIndex }))
  const colors = colorsByName(seriesSources.map(source => source.label), config.colors)
  const colorAt = (index: number) => colors.get(seriesSources[index]!.label)!

  if (xKind === 'category') {
    const labels: string[] = []
    const seen = new Map<string, number>()
    for (const row of result.rows) {
      const label = String(row[xIndex] ?? '(null)')
      if (!seen.has(label)) {
        seen.set(label, labels.length)
        labels.push(label)
      }
    }
    const series = seriesSources.map((source, index) => {
      const values: (number | null)[] = Array.from({ length: labels.length }, () => null)
      for (const row of source.rows) values[seen.get(String(row[xIndex] ?? '(null)'))!] = toNumber(row[source.yIndex])
      return { label: source.label, color: colorAt(index), points: values }
    })
    return { xKind, xType, labels, series, pointCount: labels.length }
  }

  const series = seriesSources.map((source, index) => {
    const points: { x: number, y: number | null }[] = []
    for (const row of source.rows) {
      const x = readX(xKind, row[xIndex])
      if (x !== null) points.push({ x, y: toNumber(row[source.yIndex]) })
    }
    // decimation and the linear axis both need points in x order
    points.sort((a, b) => a.x - b.x)
    return { label: source.label, color: colorAt(index), points }
  })
  return { xKind, xType, labels: [], series, pointCount: Math.max(0, ...series.map(entry => entry.points.length)) }
}

export function shapePie(result: ResultLike, config: Pick<PieConfig, 'label' | 'value' | 'colors'>) {
  if (!config.label || !config.value) throw new ChartConfigError('Choose the label and value columns')
  const labelIndex = columnIndex(result, config.label)
  const valueIndex = columnIndex(result, config.value)
  const labels = result.rows.map(row => String(row[labelIndex] ?? '(null)'))
  const colors = colorsByName([...new Set(labels)].sort(byName.compare))
  return {
    labels,
    values: result.rows.map(row => toNumber(row[valueIndex]) ?? 0),
    colors: labels.map((label, index) => config.colors[index] ?? colors.get(label)!),
  }
}

export function readStat(result: ResultLike, valueColumn: string, comparison: 'none' | 'next_row' | 'column', comparisonColumn?: string) {
  if (!valueColumn) throw new ChartConfigError('Choose the value column')
  const valueIndex = columnIndex(result, valueColumn)
  const first = result.rows[0]
  if (!first) return { value: null, previous: null }
  const value = toNumber(first[valueIndex]) ?? first[valueIndex]
  let previous: number | null = null
  if (comparison === 'next_row' && result.rows[1]) previous = toNumber(result.rows[1][valueIndex])
  if (comparison === 'column' && comparisonColumn) previous = toNumber(first[columnIndex(result, comparisonColumn)])
  return { value, previous }
}
