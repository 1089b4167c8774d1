import { describe, expect, it } from 'vitest'
import { CronSyntaxError, dayMatches, parseCron } from '#shared/cron/expression'

const chosen = (values: readonly boolean[]) => values.flatMap((allowed, value) => allowed ? [value] : [])

describe('parseCron', () => {
  it('reads lists, ranges, steps and names in any letter case', () => {
    const expression = parseCron('5-59/10,0 0-3,22 1,15 jan-MAR,Dec Mon-fri')
    expect(chosen(expression.minutes)).toEqual([0, 5, 15, 25, 35, 45, 55])
    expect(chosen(expression.hours)).toEqual([0, 1, 2, 3, 22])
    expect(chosen(expression.daysOfMonth)).toEqual([1, 15])
    expect(chosen(expression.months)).toEqual([1, 2, 3, 12])
    expect(chosen(expression.daysOfWeek)).toEqual([1, 2, 3, 4, 5])
    expect(chosen(parseCron('10/20 */6 * * *').minutes)).toEqual([10, 30, 50])
    expect(chosen(parseCron('0 0 * * 5,7').daysOfWeek)).toEqual([0, 5])
  })

  it('reads every macro in any letter case', () => {
    expect(parseCron('@Daily')).toEqual(parseCron('0 0 * * *'))
    expect(parseCron('@WEEKLY')).toEqual(parseCron('0 0 * * 0'))
    expect(parseCron('@hOURLY')).toEqual(parseCron('0 * * * *'))
    expect(parseCron(' @Yearly ')).toEqual(parseCron('0 0 1 1 *'))
    expect(parseCron('@ANNUALLY')).toEqual(parseCron('0 0 1 1 *'))
    expect(parseCron('@Monthly')).toEqual(parseCron('0 0 1 * *'))
    expect(parseCron('@midnight')).toEqual(parseCron('0 0 * * *'))
  })

  it('knows which schedules fire every hour', () => {
    expect(parseCron('*/5 * * * *').everyHour).toBe(true)
    expect(parseCron('@hourly').everyHour).toBe(true)
    expect(parseCron('0 0-23 * * *').everyHour).toBe(true)
    expect(parseCron('0 */2 * * *').everyHour).toBe(false)
    expect(parseCron('@daily').everyHour).toBe(false)
  })

  it('names the field and the reason for a bad expression', () => {
    const problem = (text: string) => {
      try {
        parseCron(text)
        return null
      }
      catch (error) {
        expect(error).toBeInstanceOf(CronSyntaxError)
        return (error as Error).message
      }
    }
    expect(problem('61 * * * *')).toBe('minute: 61 is outside 0-59')
    expect(problem('* 24 * * *')).toBe('hour: 24 is outside 0-23')
    expect(problem('* * * foo *')).toBe('month: "foo" is not a number or a name')
    expect(problem('* * * * 5-1')).toBe('day of week: range 5-1 runs backwards')
    expect(problem('*/0 * * * *')).toBe('minute: step "0" must be a whole number of at least 1')
    expect(problem('1,,2 * * * *')).toMatch(/^minute: "" is not a value/)
    expect(problem('* * *')).toMatch(/needs 5 fields/)
    expect(problem('@reboot')).toMatch(/unknown macro/)
    expect(problem('0 0 30 2 *')).toMatch(/would never fire/)
    expect(problem('0 0 L * *')).toMatch(/day of month: "L" is not a number/)
  })
})

describe('dayMatches', () => {
  it('takes either day field when both are restricted, and only the restricted one otherwise', () => {
    const either = parseCron('0 12 1,15 * sun')
    expect(dayMatches(either, 6, 1, 1)).toBe(true) // 1 June, a Monday
    expect(dayMatches(either, 6, 7, 0)).toBe(true) // a Sunday
    expect(dayMatches(either, 6, 8, 1)).toBe(false)
    const weekdaysOnly = parseCron('0 12 * * sun')
    expect(dayMatches(weekdaysOnly, 6, 1, 1)).toBe(false)
    expect(dayMatches(parseCron('0 12 ? * sun'), 6, 7, 0)).toBe(true)
  })
})
