// Local wall time in an IANA zone, from the runtime's own time zone data (Intl), so no
// zone table ships with the app. A wall time is written as the milliseconds it would
// have in UTC ("naive"): 2026-03-08 02:30 local is Date.UTC(2026, 2, 8, 2, 30).
//
// Intl only answers "what does the clock show at this instant", and each answer costs
// microseconds, so the zone is read a few days at a time: the offset at both ends and
// the middle of a three-day span, and the exact second of any change found between
// them (bisection). Spans are cached; a schedule's next fire time then needs no Intl
// call at all on most days. A span holds at most one change per half, which every zone
// keeps (clocks never change twice within a day and a half).

const SECOND_MS = 1000
const DAY_MS = 86_400_000
const SPAN_CACHE_SIZE = 400

interface OffsetChange {
  /** First instant (ms) on the new offset. */
  at: number
  before: number
  after: number
}

interface ZoneSpan {
  /** Offset at the span's start; `changes` in order after it. */
  initial: number
  changes: OffsetChange[]
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone)
  if (!formatter) {
    // throws RangeError for a zone this runtime does not know
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    })
    formatters.set(timezone, formatter)
  }
  return formatter
}

// "3/8/2026, 02:30:00": the en-US shape, parsed without the slower formatToParts
const EN_US_SHAPE = /^(\d+)\/(\d+)\/(\d{4,}), (\d+):(\d+):(\d+)$/

/** What Intl says the offset is at a whole second, in milliseconds (wall minus UTC). */
function intlOffset(timezone: string, secondMs: number): number {
  const formatter = formatterFor(timezone)
  const match = EN_US_SHAPE.exec(formatter.format(secondMs))
  let wall: number
  if (match) {
    wall = Date.UTC(Number(match[3]), Number(match[1]) - 1, Number(match[2]), Number(match[4]), Number(match[5]), Number(match[6]))
  }
  else {
    // years before 1000 or BC: fall back to the parts (eras included)
    const parts = Object.fromEntries(formatter.formatToParts(secondMs).map(part => [part.type, part.value]))
    const date = new Date(0)
    date.setUTCFullYear(parts.era === 'BC' ? 1 - Number(parts.year) : Number(parts.year), Number(parts.month) - 1, Number(parts.day))
    date.setUTCHours(Number(parts.hour), Number(parts.minute), Number(parts.second), 0)
    wall = date.getTime()
  }
  return wall - secondMs
}

/** The first whole second in (low, high] on `offsetHigh`, given `low` is on another offset. */
function findChange(timezone: string, low: number, high: number, offsetHigh: number): number {
  let lowSecond = low / SECOND_MS
  let highSecond = high / SECOND_MS
  while (highSecond - lowSecond > 1) {
    const middle = Math.floor((lowSecond + highSecond) / 2)
    if (intlOffset(timezone, middle * SECOND_MS) === offsetHigh) highSecond = middle
    else lowSecond = middle
  }
  return highSecond * SECOND_MS
}

function readSpan(timezone: string, start: number): ZoneSpan {
  const middle = start + 1.5 * DAY_MS
  const end = start + 3 * DAY_MS
  const [atStart, atMiddle, atEnd] = [start, middle, end].map(instant => intlOffset(timezone, instant)) as [number, number, number]
  const changes: OffsetChange[] = []
  if (atMiddle !== atStart) changes.push({ at: findChange(timezone, start, middle, atMiddle), before: atStart, after: atMiddle })
  if (atEnd !== atMiddle) changes.push({ at: findChange(timezone, middle, end, atEnd), before: atMiddle, after: atEnd })
  return { initial: atStart, changes }
}

// zone → span start → span; each zone keeps its most recently read spans
const spans = new Map<string, Map<number, ZoneSpan>>()

/** The span covering the day of `instantMs` with a day either side. */
function spanAround(timezone: string, instantMs: number): ZoneSpan {
  const start = Math.floor(instantMs / DAY_MS) * DAY_MS - DAY_MS
  let zoneSpans = spans.get(timezone)
  if (!zoneSpans) {
    formatterFor(timezone) // an unknown zone throws here, before anything is cached
    zoneSpans = new Map()
    spans.set(timezone, zoneSpans)
  }
  let span = zoneSpans.get(start)
  if (!span) {
    span = readSpan(timezone, start)
    if (zoneSpans.size >= SPAN_CACHE_SIZE) zoneSpans.delete(zoneSpans.keys().next().value!)
    zoneSpans.set(start, span)
  }
  return span
}

function offsetInSpan(span: ZoneSpan, instantMs: number): number {
  let offset = span.initial
  for (const change of span.changes) {
    if (instantMs >= change.at) offset = change.after
  }
  return offset
}

/** The zone's offset from UTC at an instant, in milliseconds (local wall time minus UTC). */
export function offsetAt(timezone: string, instantMs: number): number {
  return offsetInSpan(spanAround(timezone, instantMs), Math.floor(instantMs / SECOND_MS) * SECOND_MS)
}

export type WallTimeInstants = (
  | { kind: 'single', instant: number }
  /** Clocks went back over this wall time: it happens at `first`, then again at `second`. */
  | { kind: 'repeated', first: number, second: number }
  /** Clocks jumped over this wall time; `shifted` is the instant it would have had on the
   * offset before the jump, which the clocks show as the wall time moved on by the gap. */
  | { kind: 'skipped', shifted: number }
) & {
  /** The highest offset in effect within a day of this wall time. */
  highestOffset: number
}

/** The instants at which a zone's clocks show a wall time (naive milliseconds). */
export function instantsOfWallTime(timezone: string, wallMs: number): WallTimeInstants {
  // offsets stay within ±14 h, so every instant showing this wall time is in this span
  const span = spanAround(timezone, wallMs)
  if (!span.changes.length) return { kind: 'single', instant: wallMs - span.initial, highestOffset: span.initial }
  const offsets = [span.initial, ...span.changes.map(change => change.after)]
  const highestOffset = Math.max(...offsets)
  const instants = [...new Set(offsets)]
    .map(offset => wallMs - offset)
    .filter(instant => offsetInSpan(span, instant) === wallMs - instant)
    .sort((left, right) => left - right)
  if (instants.length === 1) return { kind: 'single', instant: instants[0]!, highestOffset }
  if (instants.length > 1) return { kind: 'repeated', first: instants[0]!, second: instants.at(-1)!, highestOffset }
  // in a gap: read on the offset before the change that jumped over it
  const jump = span.changes.find(change => change.at + change.before <= wallMs && wallMs < change.at + change.after)
  return { kind: 'skipped', shifted: wallMs - (jump ?? span.changes[0]!).before, highestOffset }
}

/** The one instant a schedule gives a wall time: its first occurrence, or shifted by the gap. */
export function firstInstantOfWallTime(timezone: string, wallMs: number): number {
  const instants = instantsOfWallTime(timezone, wallMs)
  if (instants.kind === 'single') return instants.instant
  return instants.kind === 'repeated' ? instants.first : instants.shifted
}
