// Relative dates ("today", "last_7_days", "this_month", ...) resolved at run time in an
// IANA timezone, so a schedule's "last 7 days" means the schedule's days, not a browser's.
// Every token names a span of whole days [start, end], both inclusive:
//   today, yesterday                      one day
//   last_N_days (1 ≤ N ≤ 3660)            the N days ending today (today included)
//   this_week, last_week                  ISO weeks, Monday to Sunday
//   this_month, last_month, this_year, last_year
// A date parameter given a token takes the span's first day; a timestamp parameter takes
// midnight of that day in the timezone; a date_range takes the span.

const fixedTokens = ['today', 'yesterday', 'this_week', 'last_week', 'this_month', 'last_month', 'this_year', 'last_year'] as const

const lastDaysPattern = /^last_(\d{1,4})_days$/

export function isRelativeDateToken(value: unknown): boolean {
  if (typeof value !== 'string') return false
  if ((fixedTokens as readonly string[]).includes(value)) return true
  const match = lastDaysPattern.exec(value)
  return !!match && Number(match[1]) >= 1 && Number(match[1]) <= 3660
}

export function isValidTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone })
    return true
  }
  catch {
    return false
  }
}

// Plain calendar days are handled as UTC midnights so arithmetic never meets a DST shift.
function parseDay(day: string): Date {
  const [year, month, date] = day.split('-').map(Number)
  return new Date(Date.UTC(year!, month! - 1, date!))
}

function formatDay(day: Date): string {
  return day.toISOString().slice(0, 10)
}

function addDays(day: Date, days: number): Date {
  return new Date(day.getTime() + days * 86_400_000)
}

/** The calendar day it is at `now` in `timezone`, as YYYY-MM-DD. */
export function todayIn(timezone: string, now: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now)
  const part = (type: string) => parts.find(item => item.type === type)!.value
  return `${part('year')}-${part('month')}-${part('day')}`
}

/** The span [start, end] (inclusive YYYY-MM-DD days) a token names at `now` in `timezone`. */
export function resolveRelativeRange(token: string, timezone: string, now: Date): { start: string, end: string } {
  const today = parseDay(todayIn(timezone, now))
  const span = (start: Date, end: Date) => ({ start: formatDay(start), end: formatDay(end) })
  const lastDays = lastDaysPattern.exec(token)
  if (lastDays) return span(addDays(today, 1 - Number(lastDays[1])), today)
  const year = today.getUTCFullYear()
  const month = today.getUTCMonth()
  // ISO weeks start on Monday: getUTCDay() is 0 for Sunday
  const monday = addDays(today, -((today.getUTCDay() + 6) % 7))
  switch (token) {
    case 'today': return span(today, today)
    case 'yesterday': return span(addDays(today, -1), addDays(today, -1))
    case 'this_week': return span(monday, addDays(monday, 6))
    case 'last_week': return span(addDays(monday, -7), addDays(monday, -1))
    case 'this_month': return span(new Date(Date.UTC(year, month, 1)), new Date(Date.UTC(year, month + 1, 0)))
    case 'last_month': return span(new Date(Date.UTC(year, month - 1, 1)), new Date(Date.UTC(year, month, 0)))
    case 'this_year': return span(new Date(Date.UTC(year, 0, 1)), new Date(Date.UTC(year, 11, 31)))
    case 'last_year': return span(new Date(Date.UTC(year - 1, 0, 1)), new Date(Date.UTC(year - 1, 11, 31)))
  }
  throw new Error(`Unknown relative date "${token}"`)
}

function offsetMinutesAt(instant: number, timezone: string): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: timezone, timeZoneName: 'longOffset' })
    .formatToParts(new Date(instant)).find(part => part.type === 'timeZoneName')!.value
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name)
  if (!match) return 0
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]))
}

/** The instant (ISO 8601 UTC) of a wall-clock time ("YYYY-MM-DDTHH:mm[:ss[.sss]]") in `timezone`. */
export function localTimeToInstant(localTime: string, timezone: string): string {
  const wallClock = Date.parse(`${localTime}Z`)
  let instant = wallClock - offsetMinutesAt(wallClock, timezone) * 60_000
  // the offset at the guess may differ from the offset at the answer (DST change that day)
  const corrected = wallClock - offsetMinutesAt(instant, timezone) * 60_000
  if (corrected !== instant) instant = corrected
  return new Date(instant).toISOString()
}

/** The instant (ISO 8601 UTC) of local midnight starting `day` in `timezone`. */
export function startOfDayInstant(day: string, timezone: string): string {
  return localTimeToInstant(`${day}T00:00:00`, timezone)
}
