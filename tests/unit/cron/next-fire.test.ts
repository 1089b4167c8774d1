// Examples of the README's rules in the zones that broke them: a 30-minute change
// (Australia/Lord_Howe), a change at midnight (America/Havana) and at 02:45
// (Pacific/Chatham). The property test (next-fire-reference.test.ts) covers every zone.
import { describe, expect, it } from 'vitest'
import { nextFireAfter, nextFireTimes } from '#shared/cron/next-fire'

const iso = (dates: Date[]) => dates.map(date => date.toISOString())

// Lord Howe 2026: 5 April 02:00 (+11) → 01:30 (+10:30), i.e. 15:00Z; 4 October 02:00 (+10:30) → 02:30 (+11), i.e. 15:30Z
describe('Australia/Lord_Howe (clocks change by 30 minutes)', () => {
  it('fires a daily 02:15 inside the skipped half hour shifted by the gap, at 02:45', () => {
    expect(iso(nextFireTimes('15 2 * * *', 'Australia/Lord_Howe', new Date('2026-10-02T12:00:00Z'), 3))).toEqual([
      '2026-10-02T15:45:00.000Z', // 02:15 +10:30
      '2026-10-03T15:45:00.000Z', // 02:15 does not exist: 02:45 +11
      '2026-10-04T15:15:00.000Z', // 02:15 +11
    ])
  })

  it('fires an hourly schedule at the jump (02:00 shifted to 02:30) and every hour after', () => {
    expect(iso(nextFireTimes('@Hourly', 'Australia/Lord_Howe', new Date('2026-10-03T14:00:00Z'), 3))).toEqual([
      '2026-10-03T14:30:00.000Z', // 01:00 +10:30
      '2026-10-03T15:30:00.000Z', // 02:00 does not exist: 02:30 +11
      '2026-10-03T16:00:00.000Z', // 03:00 +11
    ])
  })

  it('fires */30 once at the jump, where a shifted 02:00 and the real 02:30 meet', () => {
    expect(iso(nextFireTimes('*/30 * * * *', 'Australia/Lord_Howe', new Date('2026-10-03T14:45:00Z'), 3))).toEqual([
      '2026-10-03T15:00:00.000Z', // 01:30 +10:30
      '2026-10-03T15:30:00.000Z', // 02:30 +11
      '2026-10-03T16:00:00.000Z', // 03:00 +11
    ])
  })

  it('fires a */7 schedule at real 02:35 before the shifted 02:07 (02:37)', () => {
    expect(iso(nextFireTimes('*/7 * * * *', 'Australia/Lord_Howe', new Date('2026-10-03T15:29:00Z'), 4))).toEqual([
      '2026-10-03T15:30:00.000Z', // 02:00 does not exist: 02:30 +11
      '2026-10-03T15:35:00.000Z', // 02:35 +11, a real minute
      '2026-10-03T15:37:00.000Z', // 02:07 does not exist: 02:37 +11
      '2026-10-03T15:42:00.000Z', // 02:42 +11 and 02:14 shifted: one firing
    ])
  })

  it('fires minute schedules in both occurrences of the repeated half hour', () => {
    expect(iso(nextFireTimes('*/30 * * * *', 'Australia/Lord_Howe', new Date('2026-04-04T13:45:00Z'), 4))).toEqual([
      '2026-04-04T14:00:00.000Z', // 01:00 +11
      '2026-04-04T14:30:00.000Z', // 01:30 +11
      '2026-04-04T15:00:00.000Z', // 01:30 +10:30, again
      '2026-04-04T15:30:00.000Z', // 02:00 +10:30
    ])
  })

  it('fires a daily 01:45 once on the fall-back night, at its first occurrence, even asked from between the two', () => {
    expect(iso(nextFireTimes('45 1 * * *', 'Australia/Lord_Howe', new Date('2026-04-04T12:00:00Z'), 2))).toEqual([
      '2026-04-04T14:45:00.000Z', // 01:45 +11
      '2026-04-05T15:15:00.000Z', // 01:45 +10:30 the next night
    ])
    expect(nextFireAfter('45 1 * * *', 'Australia/Lord_Howe', new Date('2026-04-04T15:00:00Z')).toISOString()).toBe('2026-04-05T15:15:00.000Z')
  })

  it('does not throw for hourly and five-hourly schedules across the 30-minute fall-back', () => {
    expect(iso(nextFireTimes('0 */5 * * *', 'Australia/Lord_Howe', new Date('2026-04-04T10:00:00Z'), 3))).toEqual([
      '2026-04-04T13:00:00.000Z', // 00:00 +11
      '2026-04-04T18:30:00.000Z', // 05:00 +10:30
      '2026-04-04T23:30:00.000Z', // 10:00 +10:30
    ])
  })
})

// Havana 2026: 8 March 00:00 (-5) → 01:00 (-4), i.e. 05:00Z; 1 November 01:00 (-4) → 00:00 (-5), i.e. 05:00Z
describe('America/Havana (clocks change at midnight)', () => {
  it('fires a daily midnight at 01:00 on the spring-forward day', () => {
    expect(iso(nextFireTimes('@Daily', 'America/Havana', new Date('2026-03-06T12:00:00Z'), 3))).toEqual([
      '2026-03-07T05:00:00.000Z',
      '2026-03-08T05:00:00.000Z', // 00:00 does not exist: 01:00 -4
      '2026-03-09T04:00:00.000Z',
    ])
  })

  it('fires a daily midnight at the first midnight of the fall-back day, not an hour later', () => {
    expect(iso(nextFireTimes('0 0 * * *', 'America/Havana', new Date('2026-10-31T12:00:00Z'), 2))).toEqual([
      '2026-11-01T04:00:00.000Z', // 00:00 -4, the first of two
      '2026-11-02T05:00:00.000Z',
    ])
  })
})

// Chatham 2026: 27 September 02:45 (+12:45) → 03:45 (+13:45), i.e. 26 September 14:00Z
describe('Pacific/Chatham (clocks change at 02:45)', () => {
  it('fires 02:50, inside the gap, at 03:50, and 03:50 itself at the same instant', () => {
    expect(nextFireAfter('50 2 * * *', 'Pacific/Chatham', new Date('2026-09-26T00:00:00Z')).toISOString()).toBe('2026-09-26T14:05:00.000Z')
    expect(iso(nextFireTimes('50 2,3 * * *', 'Pacific/Chatham', new Date('2026-09-26T00:00:00Z'), 2))).toEqual([
      '2026-09-26T14:05:00.000Z', // 02:50 and 03:50 are both 03:50 +13:45: one firing
      '2026-09-27T13:05:00.000Z', // 02:50 +13:45 the next day
    ])
  })
})

// America/Toronto, 2026: spring forward Sun 8 Mar 02:00 EST → 03:00 EDT (07:00Z);
// fall back Sun 1 Nov 02:00 EDT → 01:00 EST (06:00Z).
describe('fire times across daylight saving transitions in America/Toronto', () => {
  it('fires a 02:30 daily schedule at 03:30 EDT on the spring-forward day, and at 02:30 around it', () => {
    expect(iso(nextFireTimes('30 2 * * *', 'America/Toronto', new Date('2026-03-06T12:00:00Z'), 4))).toEqual([
      '2026-03-07T07:30:00.000Z', // 02:30 EST
      '2026-03-08T07:30:00.000Z', // 02:30 does not exist: 03:30 EDT
      '2026-03-09T06:30:00.000Z', // 02:30 EDT
      '2026-03-10T06:30:00.000Z',
    ])
  })

  it('skips the hour that does not exist for an hourly schedule', () => {
    expect(iso(nextFireTimes('0 * * * *', 'America/Toronto', new Date('2026-03-08T05:30:00Z'), 3))).toEqual([
      '2026-03-08T06:00:00.000Z', // 01:00 EST
      '2026-03-08T07:00:00.000Z', // 03:00 EDT
      '2026-03-08T08:00:00.000Z', // 04:00 EDT
    ])
  })

  it('fires an hourly schedule in both 01:00 hours of the fall-back night', () => {
    expect(iso(nextFireTimes('0 * * * *', 'America/Toronto', new Date('2026-11-01T04:30:00Z'), 3))).toEqual([
      '2026-11-01T05:00:00.000Z', // 01:00 EDT
      '2026-11-01T06:00:00.000Z', // 01:00 EST
      '2026-11-01T07:00:00.000Z', // 02:00 EST
    ])
  })

  it('fires a 01:30 daily schedule once on the fall-back night, at the first 01:30', () => {
    expect(iso(nextFireTimes('30 1 * * *', 'America/Toronto', new Date('2026-10-31T12:00:00Z'), 2))).toEqual([
      '2026-11-01T05:30:00.000Z', // 01:30 EDT
      '2026-11-02T06:30:00.000Z', // 01:30 EST the next day
    ])
  })
})

describe('nextFireAfter', () => {
  it('is strictly after the instant given, including from a fire instant or between seconds', () => {
    expect(nextFireAfter('* * * * *', 'UTC', new Date('2026-06-01T10:00:00Z')).toISOString()).toBe('2026-06-01T10:01:00.000Z')
    expect(nextFireAfter('* * * * *', 'UTC', new Date('2026-06-01T10:00:59.999Z')).toISOString()).toBe('2026-06-01T10:01:00.000Z')
  })

  it('finds a 29 February years ahead and a weekday from a day-of-month and weekday pair', () => {
    expect(nextFireAfter('0 0 29 2 *', 'Europe/Paris', new Date('2025-01-01T00:00:00Z')).toISOString()).toBe('2028-02-28T23:00:00.000Z')
    expect(nextFireAfter('0 12 13 * fri', 'UTC', new Date('2026-06-01T00:00:00Z')).toISOString()).toBe('2026-06-05T12:00:00.000Z')
  })

  it('throws a clear error for an unknown zone or a bad expression', () => {
    expect(() => nextFireAfter('0 * * * *', 'Mars/Olympus_Mons', new Date())).toThrow(RangeError)
    expect(() => nextFireAfter('0 0 * * mon-', 'UTC', new Date())).toThrow(/day of week/)
  })
})
