import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { errorMessageOf, reportQueueError } from '../../server/queue/queue-errors'

describe('queue error logging', () => {
  let lines: string[]
  beforeEach(() => {
    vi.useFakeTimers()
    lines = []
    vi.spyOn(console, 'log').mockImplementation(line => void lines.push(String(line)))
    vi.spyOn(console, 'error').mockImplementation(line => void lines.push(String(line)))
  })
  afterEach(() => {
    vi.useRealTimers()
    vi.restoreAllMocks()
  })

  it('logs a burst of identical errors once, with the real message, then once when they stop', () => {
    for (let count = 0; count < 50; count++) {
      reportQueueError({ message: 'connect ECONNREFUSED 127.0.0.1:5432', code: 'ECONNREFUSED' })
      vi.advanceTimersByTime(200)
    }
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'error', message: 'queue error', error: 'connect ECONNREFUSED 127.0.0.1:5432' })
    reportQueueError(new Error('the database system is starting up'))
    expect(lines).toHaveLength(2)
    vi.advanceTimersByTime(10_000)
    expect(lines).toHaveLength(3)
    expect(JSON.parse(lines[2]!)).toMatchObject({ message: 'queue recovered' })
  })

  it('never prints [object Object]', () => {
    expect(errorMessageOf({ code: '57P01' })).toBe('57P01')
    expect(errorMessageOf({ detail: 'x' })).toBe('{"detail":"x"}')
    expect(errorMessageOf(new Error('boom'))).toBe('boom')
  })
})
