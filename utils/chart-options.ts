// Pieces of a chart.js configuration that follow the visualization's options: axis
// titles (the column names unless renamed or turned off), the legend's place, and time
// ticks on whole units (days for a `date` axis) rather than arbitrary milliseconds.
import type { legendPositions, XyConfig } from '#shared/schemas/visualizations'
import { DAY_MS } from '#shared/visualizations/format'

type LegendPosition = (typeof legendPositions)[number]

export function axisTitles(config: Pick<XyConfig, 'x' | 'y' | 'series' | 'axisTitles' | 'xTitle' | 'yTitle'>): { x: string, y: string } {
  if (config.axisTitles === false) return { x: '', y: '' }
  return {
    x: config.xTitle || config.x,
    y: config.yTitle || (config.y.length === 1 || config.series ? config.y[0]! : config.y.join(', ')),
  }
}

export function legendOptions(position: LegendPosition, severalSeries: boolean, autoPosition: 'bottom' | 'right') {
  if (position === 'none' || (position === 'auto' && !severalSeries)) return { display: false }
  return { display: true, position: position === 'auto' ? autoPosition : position }
}

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const steps = [MINUTE, 5 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY_MS, 2 * DAY_MS, 7 * DAY_MS, 14 * DAY_MS]

/** At most about `maxTicks` tick values between min and max, on whole minutes, hours, days, months or years (UTC). */
export function timeTicks(min: number, max: number, dateOnly: boolean, maxTicks = 8): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return []
  if (max <= min) return [min]
  const span = max - min
  const step = steps.find(candidate => (!dateOnly || candidate >= DAY_MS) && span / candidate <= maxTicks)
  if (step) {
    // weeks start on Monday (1970-01-05 was one); other steps align to the epoch in UTC
    const origin = step >= 7 * DAY_MS ? 4 * DAY_MS : 0
    const ticks: number[] = []
    for (let tick = Math.ceil((min - origin) / step) * step + origin; tick <= max; tick += step) ticks.push(tick)
    return ticks
  }
  // months (1, 2, 3, 6) or years (1, 2, 5, 10, ...)
  const first = new Date(min)
  const months = span / (30 * DAY_MS)
  const monthStep = [1, 2, 3, 6].find(candidate => months / candidate <= maxTicks)
  const ticks: number[] = []
  if (monthStep) {
    let year = first.getUTCFullYear()
    let month = first.getUTCMonth()
    for (let tick = Date.UTC(year, month, 1); tick <= max; tick = Date.UTC(year, month, 1)) {
      if (tick >= min && month % monthStep === 0) ticks.push(tick)
      month++
      if (month === 12) { month = 0; year++ }
    }
    return ticks
  }
  const years = span / (365 * DAY_MS)
  let yearStep = 1
  for (const factor of [2, 2.5, 2]) {
    if (years / yearStep <= maxTicks) break
    yearStep *= factor
  }
  for (let year = Math.ceil(first.getUTCFullYear() / yearStep) * yearStep; Date.UTC(year, 0, 1) <= max; year += yearStep) {
    if (Date.UTC(year, 0, 1) >= min) ticks.push(Date.UTC(year, 0, 1))
  }
  return ticks
}
