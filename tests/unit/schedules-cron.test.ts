import { describe, expect, it } from 'vitest'
import { cronProblem, slotAfter, timezoneProblem } from '#shared/schedules'
import { scheduleBody } from '#shared/schemas/schedules'

describe('cron and timezone validation', () => {
  it('accepts five-field expressions and the common macros', () => {
    expect(cronProblem('*/15 9-17 * * 1-5')).toBeNull()
    expect(cronProblem('@daily')).toBeNull()
    expect(cronProblem('@Daily')).toBeNull()
    expect(cronProblem('0 9 * * MON-fri')).toBeNull()
  })

  it('names what is wrong with a bad cron expression', () => {
    expect(cronProblem('61 * * * *')).toBe('minute: 61 is outside 0-59')
    expect(cronProblem('* * *')).toMatch(/needs 5 fields/)
    expect(cronProblem('0 0 * * * *')).toMatch(/needs 5 fields/)
    expect(cronProblem('@reboot')).toMatch(/unknown macro/)
    expect(cronProblem('  ')).toBe('is empty')
  })

  it('accepts IANA zone names and rejects abbreviations, offsets and made-up zones', () => {
    expect(timezoneProblem('America/Toronto')).toBeNull()
    expect(timezoneProblem('UTC')).toBeNull()
    expect(timezoneProblem('EST')).toMatch(/IANA/)
    expect(timezoneProblem('+05:00')).toMatch(/IANA/)
    expect(timezoneProblem('Mars/Olympus_Mons')).toMatch(/not a known IANA timezone/)
  })

  it('rejects a body with both or neither target, naming the field', () => {
    const both = scheduleBody.safeParse({ queryId: crypto.randomUUID(), dashboardId: crypto.randomUUID(), cron: '0 * * * *', timezone: 'UTC' })
    expect(both.success).toBe(false)
    expect(both.error!.issues[0]!.path).toEqual(['queryId'])
    const badCron = scheduleBody.safeParse({ queryId: crypto.randomUUID(), cron: 'every day', timezone: 'UTC' })
    expect(badCron.error!.issues.map(issue => issue.path.join('.'))).toEqual(['cron'])
  })
})

describe('the slot after a firing in America/Toronto', () => {
  it('does not fire a daily schedule again in the repeated hour after downtime that ended inside it', () => {
    // due at 01:30 EDT, the worker came back at 01:10 EST (06:10Z): fire once, next is tomorrow
    const next = slotAfter('30 1 * * *', 'America/Toronto', new Date('2026-11-01T05:30:00Z'), new Date('2026-11-01T06:10:00Z'))
    expect(next.nextFireAt.toISOString()).toBe('2026-11-02T06:30:00.000Z')
    expect(next.missedSlots).toBe(0)
  })
})

describe('the slot after a firing', () => {
  it('is the first slot after now, counting the slots missed in between', () => {
    const next = slotAfter('* * * * *', 'UTC', new Date('2026-05-01T10:00:00Z'), new Date('2026-05-01T10:10:30Z'))
    expect(next.nextFireAt.toISOString()).toBe('2026-05-01T10:11:00.000Z')
    expect(next.missedSlots).toBe(10)
  })
})

describe('cron in words', () => {
  it('says common shapes in words and leaves the rest as written', async () => {
    const { describeCron } = await import('../../shared/cron-words')
    expect(describeCron('*/15 * * * *')).toBe('every 15 minutes')
    expect(describeCron('0 9 * * 1-5')).toBe('weekdays at 09:00')
    expect(describeCron('30 2 * * *')).toBe('every day at 02:30')
    expect(describeCron('0 6 1 * *')).toBe('monthly on day 1 at 06:00')
    expect(describeCron('0 9 * * 1')).toBe('every Monday at 09:00')
    expect(describeCron('5 4 1-7 * 2')).toBe('5 4 1-7 * 2')
  })
})
