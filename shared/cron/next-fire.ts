// The one function that says when a schedule fires next. The preview, a schedule's
// nextFireAt and the worker's firing all call it, so they cannot disagree.
//
// The rules (README, "How scheduling works"), for a cron expression read in a zone:
// - a matching wall time that happens once fires then;
// - one that does not exist (clocks jumped over it) fires shifted by the gap, whatever
//   the gap's size and hour: 02:15 on a 30-minute spring-forward at 02:00 fires at 02:45;
// - one that happens twice (clocks went back) fires once, at its first occurrence,
//   unless the hour field covers every hour (minute and hourly schedules): those fire in
//   every real hour, so in both occurrences.
// Several wall times landing on one instant (a shifted 02:00 and the real 03:00) fire once.
//
// How: walk the matching wall times upwards from the lowest wall time any later instant
// can show, turn each into its instant(s), and keep the earliest instant after `after`.
// Instants do not grow strictly with wall times near a change (right after a gap, real
// 02:35 comes before a shifted 02:07; second occurrences come after later first ones),
// but no wall time shows at an instant earlier than itself minus the highest offset in
// effect nearby: once that bound passes the best instant found, nothing earlier remains.
import { type CronExpression, dayMatches, parseCron } from './expression'
import { instantsOfWallTime, offsetAt } from './zone-clock'

const MINUTE_MS = 60_000
const DAY_MS = 86_400_000
const MINUTES_PER_DAY = 1440
// the rarest valid expression, 29 February, comes round within 8 years
const SEARCH_YEARS = 10
const SEARCH_MS = SEARCH_YEARS * 366 * DAY_MS

export class NoFireTimeError extends Error {}

// parsed expressions, since the firing pass asks about the same few many times
const parsed = new Map<string, CronExpression>()
const PARSED_CACHE_SIZE = 1000

function parseCached(cron: string): CronExpression {
  let expression = parsed.get(cron)
  if (!expression) {
    expression = parseCron(cron)
    if (parsed.size >= PARSED_CACHE_SIZE) parsed.delete(parsed.keys().next().value!)
    parsed.set(cron, expression)
  }
  return expression
}

/** The next instant strictly after `after` at which `cron` fires in `timezone`. */
export function nextFireAfter(cron: string, timezone: string, after: Date): Date {
  return new Date(nextFireMs(parseCached(cron), timezone, after.getTime()))
}

/** The next `count` fire instants strictly after `after`, in order. */
export function nextFireTimes(cron: string, timezone: string, after: Date, count: number): Date[] {
  const expression = parseCached(cron)
  const times: Date[] = []
  let cursor = after.getTime()
  for (let index = 0; index < count; index++) {
    cursor = nextFireMs(expression, timezone, cursor)
    times.push(new Date(cursor))
  }
  return times
}

function nextFireMs(expression: CronExpression, timezone: string, afterMs: number): number {
  if (!Number.isFinite(afterMs)) throw new RangeError('the instant to start from is not a valid time')
  // clocks going back within the next day show wall times below today's: start there
  const lowestOffset = Math.min(offsetAt(timezone, afterMs - DAY_MS), offsetAt(timezone, afterMs), offsetAt(timezone, afterMs + DAY_MS))
  const limit = afterMs + lowestOffset + SEARCH_MS
  let wall = afterMs + lowestOffset
  let best = Infinity
  let highestOffsetNearBest = 0
  // even the next wall minute would show after the best instant: done
  while (wall + MINUTE_MS - highestOffsetNearBest < best) {
    const next = nextMatchingWallTime(expression, wall, limit)
    if (next === null || next - highestOffsetNearBest >= best) break
    wall = next
    const instants = instantsOfWallTime(timezone, wall)
    const candidates = instants.kind === 'single'
      ? [instants.instant]
      : instants.kind === 'skipped'
        ? [instants.shifted]
        // the second occurrence only for schedules that fire every hour
        : expression.everyHour ? [instants.first, instants.second] : [instants.first]
    for (const candidate of candidates) {
      if (candidate > afterMs && candidate < best) {
        best = candidate
        highestOffsetNearBest = instants.highestOffset
      }
    }
  }
  if (best === Infinity) throw new NoFireTimeError(`has no fire time in the ${SEARCH_YEARS} years after ${new Date(afterMs).toISOString()}`)
  return best
}

/** Year, month (1-12), day of month and weekday (0 = Sunday) of a day counted from 1970-01-01. */
function calendarDay(dayNumber: number): { year: number, month: number, day: number, weekday: number } {
  const date = new Date(dayNumber * DAY_MS)
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), weekday: date.getUTCDay() }
}

/** Day number of the first day of the month after (year, month 1-12). */
function firstOfNextMonth(year: number, month: number): number {
  const date = new Date(0)
  date.setUTCFullYear(year, month, 1)
  return Math.floor(date.getTime() / DAY_MS)
}

/** The first wall minute strictly after `wallMs` that the expression matches, or null past `limitMs`. */
export function nextMatchingWallTime(expression: CronExpression, wallMs: number, limitMs: number): number | null {
  const first = Math.floor(wallMs / MINUTE_MS) + 1
  let dayNumber = Math.floor(first / MINUTES_PER_DAY)
  let minuteOfDay = first - dayNumber * MINUTES_PER_DAY
  const lastDay = Math.floor(limitMs / DAY_MS)
  while (dayNumber <= lastDay) {
    const { year, month, day, weekday } = calendarDay(dayNumber)
    if (!expression.months[month]) {
      dayNumber = firstOfNextMonth(year, month)
      minuteOfDay = 0
      continue
    }
    if (dayMatches(expression, month, day, weekday)) {
      for (let hour = Math.floor(minuteOfDay / 60); hour < 24; hour++) {
        if (!expression.hours[hour]) continue
        const fromMinute = hour === Math.floor(minuteOfDay / 60) ? minuteOfDay % 60 : 0
        for (let minute = fromMinute; minute < 60; minute++) {
          if (expression.minutes[minute]) return (dayNumber * MINUTES_PER_DAY + hour * 60 + minute) * MINUTE_MS
        }
      }
    }
    dayNumber++
    minuteOfDay = 0
  }
  return null
}
