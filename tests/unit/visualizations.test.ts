import { describe, expect, it } from 'vitest'
import { newDashboardBody } from '#shared/schemas/dashboards'
import { newVisualizationBody } from '#shared/schemas/visualizations'
import { conditionalColor, formatNumber } from '#shared/visualizations/format'
import { ChartConfigError, parsePostgresTime, readStat, shapePie, shapeXy } from '#shared/visualizations/chart-data'
import { renderMarkdown } from '../../composables/markdown'

const timeResult = {
  columns: [{ name: 'day', type: 'timestamptz' }, { name: 'venue', type: 'text' }, { name: 'p99', type: 'numeric' }],
  rows: [
    ['2026-01-02 00:00:00+00', 'TSX', '12.5'],
    ['2026-01-01 00:00:00+00', 'TSX', '10'],
    ['2026-01-01 00:00:00+00', 'NEO', '7'],
  ],
}

describe('chart data shaping', () => {
  it('turns time x values into sorted epoch-millisecond points so chart.js can skip parsing', () => {
    const shaped = shapeXy(timeResult, { x: 'day', y: ['p99'], colors: [] })
    expect(shaped.xKind).toBe('time')
    expect(shaped.series[0]!.points).toEqual([
      { x: Date.parse('2026-01-01T00:00:00Z'), y: 10 },
      { x: Date.parse('2026-01-01T00:00:00Z'), y: 7 },
      { x: Date.parse('2026-01-02T00:00:00Z'), y: 12.5 },
    ])
  })

  it('splits one y column into a series per value of the series column', () => {
    const shaped = shapeXy(timeResult, { x: 'day', y: ['p99'], series: 'venue', colors: ['#000000'] })
    // ordered by name, so the legend reads the same whatever order the rows came in
    expect(shaped.series.map(series => [series.label, series.points.length])).toEqual([['NEO', 1], ['TSX', 2]])
    expect(shaped.series[0]!.color).toBe('#000000')
  })

  it('gives each series the same colour and legend place when rows come back in another order', () => {
    const reversed = { ...timeResult, rows: [...timeResult.rows].reverse() }
    const first = shapeXy(timeResult, { x: 'day', y: ['p99'], series: 'venue', colors: [] })
    const second = shapeXy(reversed, { x: 'day', y: ['p99'], series: 'venue', colors: [] })
    expect(second.series.map(series => [series.label, series.color])).toEqual(first.series.map(series => [series.label, series.color]))
    expect(new Set(first.series.map(series => series.color)).size).toBe(2)
  })

  it('reads a date column (Postgres prints 2026-01-02) as UTC midnight points', () => {
    const dates = { columns: [{ name: 'day', type: 'date' }, { name: 'outages', type: 'int8' }], rows: [['2026-01-02', '3'], ['2026-01-01', '5']] }
    const shaped = shapeXy(dates, { x: 'day', y: ['outages'], colors: [] })
    expect(shaped.series[0]!.points).toEqual([{ x: Date.UTC(2026, 0, 1), y: 5 }, { x: Date.UTC(2026, 0, 2), y: 3 }])
  })

  it('reads timestamps with and without an offset, and refuses infinity', () => {
    expect(parsePostgresTime('2026-01-02 03:04:05.5+05:30')).toBe(Date.UTC(2026, 0, 1, 21, 34, 5, 500))
    expect(parsePostgresTime('2026-01-02 03:04:05-08')).toBe(Date.UTC(2026, 0, 2, 11, 4, 5))
    expect(parsePostgresTime('2026-01-02 03:04:05')).toBe(Date.UTC(2026, 0, 2, 3, 4, 5))
    expect(parsePostgresTime('infinity')).toBeNull()
  })

  it('asks for the columns a new chart lacks instead of naming an "undefined" column', () => {
    expect(() => shapeXy(timeResult, { x: undefined as unknown as string, y: [], colors: [] })).toThrow('Choose a column for the X axis')
    expect(() => shapePie(timeResult, { label: undefined as unknown as string, value: 'p99', colors: [] })).toThrow('Choose the label')
  })

  it('uses labels for a text x axis and leaves missing combinations empty', () => {
    const shaped = shapeXy(timeResult, { x: 'venue', y: ['p99'], colors: [] })
    expect(shaped.labels).toEqual(['TSX', 'NEO'])
    expect(shaped.series[0]!.points).toEqual([10, 7])
  })

  it('names a configured column the result does not have', () => {
    expect(() => shapeXy(timeResult, { x: 'when', y: ['p99'], colors: [] })).toThrow(ChartConfigError)
    expect(() => shapeXy(timeResult, { x: 'when', y: ['p99'], colors: [] })).toThrow('"when"')
  })

  it('reads pie slices and a stat with its previous value', () => {
    expect(shapePie(timeResult, { label: 'venue', value: 'p99', colors: [] }).values).toEqual([12.5, 10, 7])
    expect(readStat(timeResult, 'p99', 'next_row')).toEqual({ value: 12.5, previous: 10 })
  })
})

describe('formats', () => {
  it('formats numbers, exact numeric text, percents and compact values', () => {
    expect(formatNumber('1234567.891', { decimals: 1, style: 'number' })).toBe('1,234,567.9')
    expect(formatNumber(0.256, { style: 'percent', decimals: 1 })).toBe('25.6%')
    expect(formatNumber(1_500_000, { style: 'compact', decimals: 1, prefix: '$' })).toBe('$1.5M')
    expect(formatNumber(null)).toBe('—')
  })

  it('colours a cell by the first matching condition', () => {
    const column = { conditions: [{ operator: '>=' as const, value: 100, color: '#ff0000' }, { operator: '>' as const, value: 10, color: '#ffff00' }] }
    expect(conditionalColor('150', column)).toBe('#ff0000')
    expect(conditionalColor(50, column)).toBe('#ffff00')
    expect(conditionalColor(5, column)).toBeNull()
  })

  it('renders markdown without letting HTML through', () => {
    expect(renderMarkdown('## Hi\n**bold** <script>x</script>\n- a\n- [link](https://example.com)')).toBe(
      '<h2>Hi</h2><p><strong>bold</strong> &lt;script&gt;x&lt;/script&gt;</p><ul><li>a</li><li><a href="https://example.com" target="_blank" rel="noopener">link</a></li></ul>')
    expect(renderMarkdown('[x](javascript:alert(1))')).not.toContain('href')
  })
})

describe('bodies', () => {
  it('checks a visualization config against its type and names the field', () => {
    const parsed = newVisualizationBody.safeParse({ name: 'A', type: 'stat', config: { unit: 'ms' } })
    expect(parsed.success).toBe(false)
    expect(parsed.error!.issues[0]!.path).toEqual(['config', 'value'])
    const ok = newVisualizationBody.parse({ name: 'A', type: 'bar', config: { x: 'a', y: ['b'] } })
    expect(ok.config).toMatchObject({ stacked: false, horizontal: false })
  })

  it('rejects a tile bound to a filter the dashboard does not have', () => {
    const parsed = newDashboardBody.safeParse({ name: 'D', filters: [{ name: 'region', type: 'text' }], tiles: [{ text: 'x', x: 0, y: 0, w: 2, h: 2, bindings: { p: 'nope' } }] })
    expect(parsed.error!.issues.map(issue => issue.path.join('.'))).toEqual(['tiles.0.bindings.p'])
  })
})

describe('grid layout', () => {
  it('pushes tiles the moved one now overlaps below it, cascading', async () => {
    const { pushOverlapsDown } = await import('../../shared/dashboards/layout')
    const tiles = [
      { id: 'a', x: 0, y: 0, w: 6, h: 2 },
      { id: 'b', x: 0, y: 2, w: 6, h: 2 },
      { id: 'moved', x: 0, y: 1, w: 4, h: 2 },
      { id: 'aside', x: 6, y: 0, w: 6, h: 4 },
    ]
    const placed = pushOverlapsDown(tiles, 'moved')
    expect(placed.map(tile => [tile.id, tile.y])).toEqual([['a', 3], ['b', 5], ['moved', 1], ['aside', 0]])
  })
})

describe('dashboard auto-refresh floor', () => {
  it('refuses an auto-refresh under the UI floor of 60 s, and accepts off or a minute', () => {
    const refreshOf = (refreshIntervalSeconds: number) => newDashboardBody.safeParse({ name: 'Wall', refreshIntervalSeconds })
    const tooFast = refreshOf(1)
    expect(tooFast.success).toBe(false)
    expect(tooFast.error?.issues[0]).toMatchObject({ path: ['refreshIntervalSeconds'], message: 'must be 0 (off) or at least 60 seconds' })
    expect(refreshOf(0).success).toBe(true)
    expect(refreshOf(60).success).toBe(true)
  })
})
