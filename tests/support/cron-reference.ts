// A brute-force oracle for shared/cron/next-fire.ts, written without its code: its own
// small cron matcher, wall clocks read from Intl (formatToParts), and the README's rules
// applied to the plain sequence of wall times that real minutes show, one by one:
// - a minute whose wall time matches fires, unless that wall time was already shown
//   earlier (clocks went back) and the hour field does not cover every hour;
// - when the wall clock jumps forward, every matching wall minute it jumped over fires
//   shifted by the gap: at that wall time read on the offset before the jump.
// To keep the walk cheap, each zone's offset changes are found once with Intl (a scan
// week, then bisection to the minute) and walls are read from that list.

const MINUTE_MS = 60_000
const HOUR_MS = 3_600_000
const DAY_MS = 86_400_000

export interface ReferenceCron {
  /** month 1-12, weekday 0-6 (Sunday 0) */
  matches: (minute: number, hour: number, day: number, month: number, weekday: number) => boolean
  everyHour: boolean
}

function matchesWall(cron: ReferenceCron, wallMs: number): boolean {
  const date = new Date(wallMs)
  return cron.matches(date.getUTCMinutes(), date.getUTCHours(), date.getUTCDate(), date.getUTCMonth() + 1, date.getUTCDay())
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']
const ALIASES: Record<string, string> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
}

function valueOf(text: string, names: string[] | undefined, offset: number): number {
  const index = names ? names.indexOf(text.toLowerCase()) : -1
  return index >= 0 ? index + offset : Number.parseInt(text, 10)
}

function fieldSet(text: string, low: number, high: number, names?: string[], nameOffset = 0): Set<number> {
  const values = new Set<number>()
  for (const part of text.split(',')) {
    const [range, step = '1'] = part.split('/')
    let [from, to] = [low, high]
    if (range !== '*' && range !== '?') {
      const bounds = range!.split('-')
      from = valueOf(bounds[0]!, names, nameOffset)
      to = bounds.length > 1 ? valueOf(bounds[1]!, names, nameOffset) : part.includes('/') ? high : from
    }
    for (let value = from; value <= to; value += Number(step)) values.add(value)
  }
  return values
}

export function referenceCron(text: string): ReferenceCron {
  const source = ALIASES[text.trim().toLowerCase()] ?? text.trim()
  const [minute, hour, dayOfMonth, month, dayOfWeek] = source.split(/\s+/) as [string, string, string, string, string]
  // lookup tables, since the walk asks millions of times
  const table = (values: Set<number>, size: number) => Uint8Array.from({ length: size }, (_, index) => values.has(index) ? 1 : 0)
  const minutes = table(fieldSet(minute, 0, 59), 60)
  const hourSet = fieldSet(hour, 0, 23)
  const hours = table(hourSet, 24)
  const monthDays = table(fieldSet(dayOfMonth, 1, 31), 32)
  const months = table(fieldSet(month, 1, 12, MONTHS, 1), 13)
  const weekdays = table(new Set([...fieldSet(dayOfWeek, 0, 6, WEEKDAYS)].map(day => day % 7)), 7)
  const either = dayOfMonth !== '*' && dayOfMonth !== '?' && dayOfWeek !== '*' && dayOfWeek !== '?'
  return {
    everyHour: hourSet.size === 24,
    matches(minuteValue, hourValue, day, monthValue, weekday) {
      if (!minutes[minuteValue] || !hours[hourValue] || !months[monthValue]) return false
      return either ? !!(monthDays[day]! | weekdays[weekday]!) : !!(monthDays[day]! & weekdays[weekday]!)
    },
  }
}

export interface OffsetChange {
  /** First instant on the new offset. */
  at: number
  before: number
  after: number
}

export interface ZoneOffsets {
  zone: string
  initial: number
  changes: OffsetChange[]
}

// Swedish writes "2026-03-08 02:30:00", easy to read back
const SV_SHAPE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/

function intlOffset(formatter: Intl.DateTimeFormat, instantMs: number): number {
  const match = SV_SHAPE.exec(formatter.format(instantMs))
  if (!match) throw new Error(`unexpected Intl output ${formatter.format(instantMs)}`)
  const [, year, month, day, hour, minute, second] = match.map(Number) as number[]
  return Date.UTC(year!, month! - 1, day!, hour!, minute!, second!) - instantMs
}

/** Every offset change of a zone between two instants (minute-aligned), read from Intl. */
export function findOffsetChanges(zone: string, fromMs: number, toMs: number, scanStepMs = 7 * 24 * HOUR_MS): ZoneOffsets {
  const formatter = new Intl.DateTimeFormat('sv-SE', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  })
  const initial = intlOffset(formatter, fromMs)
  const changes: OffsetChange[] = []
  let previous = initial
  for (let at = fromMs + scanStepMs; at <= toMs; at += scanStepMs) {
    const current = intlOffset(formatter, at)
    if (current === previous) continue
    // bisect to the first minute on the new offset
    let low = (at - scanStepMs) / MINUTE_MS
    let high = at / MINUTE_MS
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2)
      if (intlOffset(formatter, middle * MINUTE_MS) === previous) low = middle
      else high = middle
    }
    changes.push({ at: high * MINUTE_MS, before: previous, after: current })
    previous = current
  }
  return { zone, initial, changes }
}

/**
 * Real minutes from `fromMs` to `untilMs` and the wall clock each shows, worked out as far
 * as anyone has asked and kept, so every expression checked over a window shares them.
 * Start a few hours before any instant asked about, so repeated wall times are recognised.
 */
export class MinuteWalk {
  readonly firstMinute: number
  readonly length: number
  readonly walls: Float64Array
  readonly offsets: Float64Array
  // the wall clock's minute, hour, day of month, month and weekday at each minute
  readonly minute: Uint8Array
  readonly hour: Uint8Array
  readonly day: Uint8Array
  readonly month: Uint8Array
  readonly weekday: Uint8Array
  private filled = 0
  private changeIndex = 0
  private offset: number
  private dayNumber = Number.NaN
  private calendar: [number, number, number] = [0, 0, 0]

  constructor(private readonly zone: ZoneOffsets, fromMs: number, untilMs: number) {
    this.firstMinute = Math.ceil(fromMs / MINUTE_MS) * MINUTE_MS
    this.length = Math.max(0, Math.floor((untilMs - this.firstMinute) / MINUTE_MS) + 1)
    this.walls = new Float64Array(this.length)
    this.offsets = new Float64Array(this.length)
    this.minute = new Uint8Array(this.length)
    this.hour = new Uint8Array(this.length)
    this.day = new Uint8Array(this.length)
    this.month = new Uint8Array(this.length)
    this.weekday = new Uint8Array(this.length)
    this.offset = zone.initial
  }

  /** Works out minutes up to `index` (exclusive) if not done yet. */
  reach(index: number): void {
    const { changes } = this.zone
    for (; this.filled < Math.min(index, this.length); this.filled++) {
      const minute = this.firstMinute + this.filled * MINUTE_MS
      while (this.changeIndex < changes.length && changes[this.changeIndex]!.at <= minute) this.offset = changes[this.changeIndex++]!.after
      const wall = minute + this.offset
      this.offsets[this.filled] = this.offset
      this.walls[this.filled] = wall
      // whole minutes and hours by arithmetic; the calendar day through Date once per day
      const wallMinutes = Math.floor(wall / MINUTE_MS)
      this.minute[this.filled] = ((wallMinutes % 60) + 60) % 60
      this.hour[this.filled] = ((Math.floor(wallMinutes / 60) % 24) + 24) % 24
      const dayNumber = Math.floor(wall / DAY_MS)
      if (dayNumber !== this.dayNumber) {
        const date = new Date(dayNumber * DAY_MS)
        this.dayNumber = dayNumber
        this.calendar = [date.getUTCDate(), date.getUTCMonth() + 1, date.getUTCDay()]
      }
      ;[this.day[this.filled], this.month[this.filled], this.weekday[this.filled]] = this.calendar
    }
  }
}

/**
 * Fire instants of `cron` along a walk of real minutes, in order. Stops once the next
 * fire after `neededAfterMs` is certain, or at the end of the walk.
 */
export function referenceFires(cron: ReferenceCron, walk: MinuteWalk, neededAfterMs: number): number[] {
  const fires: number[] = []
  let highestWall = -Infinity
  // the first fire after `neededAfterMs` found so far; fires found later are never before
  // the minute being walked, so once the walk reaches it every answer is known
  let firstNeeded = Infinity
  const record = (fire: number) => {
    fires.push(fire)
    if (fire > neededAfterMs && fire < firstNeeded) firstNeeded = fire
  }
  for (let index = 0; index < walk.length; index++) {
    const minute = walk.firstMinute + index * MINUTE_MS
    if (minute > firstNeeded) break
    walk.reach(index + 1)
    const wall = walk.walls[index]!
    if (index > 0 && wall - walk.walls[index - 1]! > MINUTE_MS) {
      // the clock jumped: wall minutes it skipped fire on the offset before the jump
      for (let skipped = walk.walls[index - 1]! + MINUTE_MS; skipped < wall; skipped += MINUTE_MS) {
        if (matchesWall(cron, skipped)) record(skipped - walk.offsets[index - 1]!)
      }
    }
    const shownBefore = wall <= highestWall
    const matches = cron.matches(walk.minute[index]!, walk.hour[index]!, walk.day[index]!, walk.month[index]!, walk.weekday[index]!)
    if (matches && (!shownBefore || cron.everyHour)) record(minute)
    highestWall = Math.max(highestWall, wall)
  }
  return [...new Set(fires)].sort((left, right) => left - right)
}
