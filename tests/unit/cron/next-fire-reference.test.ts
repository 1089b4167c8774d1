// nextFireAfter against the brute-force reference (tests/support/cron-reference.ts) in
// every zone this runtime knows, for a fixed-seed set of expressions, starting at
// instants around every offset change of 2024-2030 (a minute before, inside and just
// after each gap and overlap) and at a few seeded instants in every zone.
import { describe, expect, it } from 'vitest'
import { nextFireAfter } from '#shared/cron/next-fire'
import { findOffsetChanges, MinuteWalk, referenceCron, referenceFires, type ZoneOffsets } from '../../support/cron-reference'

const MINUTE_MS = 60_000
const HOUR_MS = 3_600_000
const DAY_MS = 86_400_000
const FIRST = Date.UTC(2024, 0, 1)
const LAST = Date.UTC(2031, 0, 1)
// how far past a start the reference walks before giving up on finding its next fire
const WALK_DAYS = 8

// chosen to cross the transitions people meet: every minute and hour, the hours
// clocks change at (00:00 in Havana, 02:00, 02:45 in Chatham), steps that straddle them
const CHOSEN = [
  '* * * * *',
  '*/30 * * * *',
  '15 * * * *',
  '5-59/10 * * * *',
  '@HOURLY',
  '0 0-23 * * *',
  '@Daily',
  '@midNight',
  '@Weekly',
  '30 2 * * *',
  '45 2 * * *',
  '0 1 * * *',
  '30 1 * * *',
  '0 */5 * * *',
  '15,45 0-3 * * *',
  '*/20 1-3 * * *',
  '0 9 * * mon-FRI',
  '0 12 1,15 * Sun',
  '30 0-4 * jan-DEC *',
  '0 3 * * 0,7',
  '20 2 1-7 * 6',
]

/** mulberry32: a small seeded generator, so the "random" expressions never change. */
function seeded(seed: number): () => number {
  let state = seed
  return () => {
    state = (state + 0x6D2B79F5) | 0
    let value = Math.imul(state ^ (state >>> 15), 1 | state)
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296
  }
}

function randomExpressions(count: number, random: () => number): string[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
  const upTo = (limit: number) => Math.floor(random() * limit)
  const minuteField = () => pick([
    () => String(upTo(60)), () => `*/${pick([2, 5, 7, 15, 20, 30])}`, () => `${upTo(30)}-${30 + upTo(30)}/${1 + upTo(12)}`,
    () => `${upTo(30)},${30 + upTo(30)}`, () => `${upTo(10)}/${5 + upTo(25)}`,
  ])()
  const hourField = () => pick([
    () => '*', () => String(upTo(4)), () => `${upTo(3)}-${2 + upTo(3)}`, () => `*/${pick([2, 3, 4, 5, 6, 7])}`,
    () => `${upTo(3)},${3 + upTo(3)},${12 + upTo(12)}`, () => `${upTo(3)}-23/${1 + upTo(3)}`,
  ])()
  const dayFields = () => pick([
    () => '* * *', () => '* * *', () => `* * ${pick(['mon', 'TUE', 'Sat', 'sun-wed', '1-5', '0,3,6'])}`,
    () => `${1 + upTo(28)},${1 + upTo(28)} * ${pick(['fri', 'Mon-Wed', '2'])}`,
    () => `1-${10 + upTo(18)} ${pick(['*', 'mar-nov', 'Oct,NOV,dec,jan,FEB,MAR,apr'])} *`,
  ])()
  return Array.from({ length: count }, () => `${minuteField()} ${hourField()} ${dayFields()}`)
}

const EXPRESSIONS = [...CHOSEN, ...randomExpressions(10, seeded(14))]
const REFERENCE = new Map(EXPRESSIONS.map(expression => [expression, referenceCron(expression)]))

interface Neighbourhood {
  starts: number[]
}

/** Starts around each offset change: before, inside and after its gap or overlap. */
function neighbourhoods(offsets: ZoneOffsets, random: () => number): Neighbourhood[] {
  const result: Neighbourhood[] = offsets.changes
    .filter(change => change.at >= FIRST && change.at < LAST)
    .map((change) => {
      const size = Math.abs(change.after - change.before)
      const at = change.at
      return {
        starts: [at - size - MINUTE_MS, at - size / 2, at - MINUTE_MS, at - 1, at, at + 17_000, at + size / 2, at + size, at + size + MINUTE_MS],
      }
    })
  // and two ordinary instants, so zones that never change are covered too
  for (let index = 0; index < 2; index++) {
    const start = FIRST + Math.floor(random() * (LAST - FIRST - WALK_DAYS * DAY_MS))
    result.push({ starts: [start, start + 29 * MINUTE_MS + 30_000] })
  }
  return result
}

/** The first of sorted `fires` after `start` (binary search: fire lists run to thousands). */
function firstAfter(fires: number[], start: number): number | undefined {
  let low = 0
  let high = fires.length
  while (low < high) {
    const middle = (low + high) >> 1
    if (fires[middle]! > start) high = middle
    else low = middle + 1
  }
  return fires[low]
}

interface Difference {
  zone: string
  expression: string
  start: string
  expected: string
  actual: string
}

describe('nextFireAfter against the brute-force reference', () => {
  it('agrees in every zone, for every expression, around every offset change of 2024-2030, without exceptions', () => {
    const zones = ['UTC', ...Intl.supportedValuesOf('timeZone')]
    const random = seeded(2024)
    const differences: Difference[] = []
    const exceptions: string[] = []
    let compared = 0
    let changesSeen = 0
    for (const zone of zones) {
      const offsets = findOffsetChanges(zone, FIRST - 2 * DAY_MS, LAST + (WALK_DAYS + 1) * DAY_MS)
      const around = neighbourhoods(offsets, random)
      changesSeen += around.length - 2
      for (const { starts } of around) {
        const lastStart = Math.max(...starts)
        // a few hours before the first start, so wall times shown twice are recognised
        const walkFrom = Math.min(...starts) - 4 * HOUR_MS
        const walkUntil = lastStart + WALK_DAYS * DAY_MS
        const walk = new MinuteWalk(offsets, walkFrom, walkUntil)
        for (const expression of EXPRESSIONS) {
          const fires = referenceFires(REFERENCE.get(expression)!, walk, lastStart)
          for (const start of starts) {
            const expected = firstAfter(fires, start)
            let actual: number
            try {
              actual = nextFireAfter(expression, zone, new Date(start)).getTime()
            }
            catch (error) {
              exceptions.push(`${zone} ${expression} from ${new Date(start).toISOString()}: ${String(error)}`)
              continue
            }
            compared++
            // past the walk, the reference only knows the fire is later than that
            const agrees = expected === undefined ? actual > walkUntil : actual === expected
            if (!agrees) {
              differences.push({
                zone, expression, start: new Date(start).toISOString(),
                expected: expected === undefined ? `after ${new Date(walkUntil).toISOString()}` : new Date(expected).toISOString(),
                actual: new Date(actual).toISOString(),
              })
            }
          }
        }
      }
    }
    expect(exceptions.slice(0, 10)).toEqual([])
    expect(differences.slice(0, 10)).toEqual([])
    expect({ differences: differences.length, exceptions: exceptions.length }).toEqual({ differences: 0, exceptions: 0 })
    // the test is only worth something if the changes were found and compared
    expect(changesSeen).toBeGreaterThan(1500)
    expect(compared).toBeGreaterThan(changesSeen * 9 * EXPRESSIONS.length)
  }, 300_000)
})
