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
  if (kind === 'time') {
    if (value === null || value === undefined) return null
    // Postgres prints `2026-01-02 00:00:00+00`; JavaScript wants `T` and `+00:00`
    const time = Date.parse(String(value).replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'))
    return Number.isNaN(time) ? null : time
  }
  return toNumber(value)
}

export function shapeXy(result: ResultLike, config: Pick<XyConfig, 'x' | 'y' | 'series' | 'colors'>): ShapedXy {
  const xIndex = columnIndex(result, config.x)
  const xType = result.columns[xIndex]!.type
  const xKind: ShapedXy['xKind'] = isTimeType(xType) ? 'time' : isNumberType(xType) ? 'number' : 'category'
  const yIndexes = config.y.map(name => columnIndex(result, name))
  const colorAt = (index: number) => config.colors[index] ?? palette[index % palette.length]!

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
  const seriesSources: { label: string, rows: unknown[][], yIndex: number }[] = config.series
    ? [...groups.entries()].map(([label, rows]) => ({ label, rows, yIndex: yIndexes[0]! }))
    : yIndexes.map((yIndex, index) => ({ label: config.y[index]!, rows: result.rows, yIndex }))

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
    return { xKind, labels, series, pointCount: labels.length }
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
  return { xKind, labels: [], series, pointCount: Math.max(0, ...series.map(entry => entry.points.length)) }
}

export function shapePie(result: ResultLike, config: Pick<PieConfig, 'label' | 'value' | 'colors'>) {
  const labelIndex = columnIndex(result, config.label)
  const valueIndex = columnIndex(result, config.value)
  return {
    labels: result.rows.map(row => String(row[labelIndex] ?? '(null)')),
    values: result.rows.map(row => toNumber(row[valueIndex]) ?? 0),
    colors: result.rows.map((_, index) => config.colors[index] ?? palette[index % palette.length]!),
  }
}

export function readStat(result: ResultLike, valueColumn: string, comparison: 'none' | 'next_row' | 'column', comparisonColumn?: string) {
  const valueIndex = columnIndex(result, valueColumn)
  const first = result.rows[0]
  if (!first) return { value: null, previous: null }
  const value = toNumber(first[valueIndex]) ?? first[valueIndex]
  let previous: number | null = null
  if (comparison === 'next_row' && result.rows[1]) previous = toNumber(result.rows[1][valueIndex])
  if (comparison === 'column' && comparisonColumn) previous = toNumber(first[columnIndex(result, comparisonColumn)])
  return { value, previous }
}
