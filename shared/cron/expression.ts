// shared/cron owns schedule time: reading a cron expression (this file), turning local
// wall times of an IANA zone into instants (zone-clock.ts), and the one function that
// gives a schedule's next fire instant (next-fire.ts). Pages and server both import it,
// so the editor's preview, a schedule's nextFireAt and the worker's firing agree.
//
// The syntax is the classic 5-field one (minute hour day-of-month month day-of-week):
// `*`, `?` (day fields), numbers, ranges `a-b`, steps `*/n`, `a-b/n` and `a/n`, lists,
// month and weekday names in any letter case, 7 for Sunday, and the macros @yearly,
// @annually, @monthly, @weekly, @daily, @midnight and @hourly in any letter case.
// When both day fields are restricted a day matches either (classic cron); when one is
// `*` or `?` only the other counts.

export class CronSyntaxError extends Error {}

export interface CronExpression {
  minutes: readonly boolean[]
  hours: readonly boolean[]
  daysOfMonth: readonly boolean[]
  months: readonly boolean[]
  daysOfWeek: readonly boolean[]
  dayOfMonthRestricted: boolean
  dayOfWeekRestricted: boolean
  /** The hour field covers every hour: such schedules fire in both occurrences of a repeated hour. */
  everyHour: boolean
}

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
}
export const CRON_MACROS = Object.keys(MACROS)

interface FieldRule {
  label: string
  min: number
  max: number
  names?: readonly string[]
  /** Day fields take `?` as a synonym of `*`. */
  question?: boolean
}

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
const WEEKDAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']

const FIELDS: readonly FieldRule[] = [
  { label: 'minute', min: 0, max: 59 },
  { label: 'hour', min: 0, max: 23 },
  { label: 'day of month', min: 1, max: 31, question: true },
  { label: 'month', min: 1, max: 12, names: MONTH_NAMES },
  // 7 is Sunday too; folded onto 0 below
  { label: 'day of week', min: 0, max: 7, names: WEEKDAY_NAMES, question: true },
]

// the longest a month can be, February counted as a leap one
const DAYS_IN_MONTH = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

function fieldValue(text: string, rule: FieldRule): number {
  const lower = text.toLowerCase()
  const named = rule.names?.indexOf(lower) ?? -1
  if (named >= 0) return named + rule.min
  if (!/^\d+$/.test(text)) throw new CronSyntaxError(`${rule.label}: "${text}" is not a number${rule.names ? ' or a name' : ''}`)
  const value = Number(text)
  if (value < rule.min || value > rule.max) throw new CronSyntaxError(`${rule.label}: ${value} is outside ${rule.min}-${rule.max}`)
  return value
}

function parseField(text: string, rule: FieldRule): { allowed: boolean[], wildcard: boolean } {
  const allowed = Array.from({ length: rule.max + 1 }, () => false)
  for (const item of text.split(',')) {
    const [range, stepText, extra] = item.split('/')
    if (extra !== undefined || range === undefined || range === '') throw new CronSyntaxError(`${rule.label}: "${item}" is not a value, range or step`)
    let step = 1
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) < 1) throw new CronSyntaxError(`${rule.label}: step "${stepText}" must be a whole number of at least 1`)
      step = Number(stepText)
    }
    // a week's last day is 6 (Saturday); 7 is only another name for Sunday
    const last = rule.max === 7 ? 6 : rule.max
    let from: number
    let to: number
    if (range === '*' || (range === '?' && rule.question)) {
      from = rule.min
      to = last
    }
    else if (range.includes('-')) {
      const [start, end, more] = range.split('-')
      if (more !== undefined || !start || !end) throw new CronSyntaxError(`${rule.label}: "${range}" is not a range`)
      from = fieldValue(start, rule)
      to = fieldValue(end, rule)
      if (from > to) throw new CronSyntaxError(`${rule.label}: range ${range} runs backwards`)
    }
    else {
      from = fieldValue(range, rule)
      // `a/n` runs from a to the end of the field
      to = stepText === undefined ? from : last
    }
    for (let value = from; value <= to; value += step) allowed[value] = true
  }
  if (rule.max === 7) {
    if (allowed[7]) allowed[0] = true
    allowed.length = 7
  }
  return { allowed, wildcard: text === '*' || (text === '?' && !!rule.question) }
}

/** Reads a 5-field expression or a macro (any letter case); throws CronSyntaxError naming the field. */
export function parseCron(text: string): CronExpression {
  let trimmed = text.trim()
  if (!trimmed) throw new CronSyntaxError('is empty')
  if (trimmed.startsWith('@')) {
    const expanded = MACROS[trimmed.toLowerCase()]
    if (!expanded) throw new CronSyntaxError(`unknown macro; use one of ${CRON_MACROS.join(', ')}`)
    trimmed = expanded
  }
  const parts = trimmed.split(/\s+/)
  if (parts.length !== 5) throw new CronSyntaxError(`needs 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}`)
  const [minute, hour, dayOfMonth, month, dayOfWeek] = parts.map((part, index) => parseField(part, FIELDS[index]!))
  const expression: CronExpression = {
    minutes: minute!.allowed,
    hours: hour!.allowed,
    daysOfMonth: dayOfMonth!.allowed,
    months: month!.allowed,
    daysOfWeek: dayOfWeek!.allowed,
    dayOfMonthRestricted: !dayOfMonth!.wildcard,
    dayOfWeekRestricted: !dayOfWeek!.wildcard,
    everyHour: hour!.allowed.every(Boolean),
  }
  // a day of month no chosen month has (30 February) would never fire
  if (expression.dayOfMonthRestricted && !expression.dayOfWeekRestricted) {
    const possible = expression.months.some((chosen, monthNumber) => chosen
      && expression.daysOfMonth.some((day, dayNumber) => day && dayNumber <= DAYS_IN_MONTH[monthNumber]!))
    if (!possible) throw new CronSyntaxError('day of month: no chosen month has that day, so it would never fire')
  }
  return expression
}

/** Whether a calendar day (month 1-12, weekday 0 = Sunday) is one the expression fires on. */
export function dayMatches(expression: CronExpression, month: number, dayOfMonth: number, dayOfWeek: number): boolean {
  if (!expression.months[month]) return false
  const byMonthDay = expression.daysOfMonth[dayOfMonth]!
  const byWeekday = expression.daysOfWeek[dayOfWeek]!
  if (expression.dayOfMonthRestricted && expression.dayOfWeekRestricted) return byMonthDay || byWeekday
  return byMonthDay && byWeekday
}
