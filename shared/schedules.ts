// Cron expressions and IANA timezones for schedules: validated and expanded into fire
// times the same way on the server (firing, the API) and in the page (live preview).
//
// DST rule (what cron-parser does, and what we promise):
// - a local time that does not exist (spring forward, e.g. 02:30 in America/Toronto on
//   the second Sunday of March) fires shifted forward by the gap: 03:30 EDT;
// - a local time that happens twice (fall back, 01:30) fires once, at its first
//   occurrence (EDT); an hourly or every-N-minutes schedule fires every real hour or N
//   minutes, so it runs in both 01:00 hours.
import { CronExpressionParser } from 'cron-parser'
import { z } from 'zod'

export const firingStatuses = ['pending', 'running', 'succeeded', 'failed', 'skipped'] as const
export type FiringStatus = (typeof firingStatuses)[number]

const MACROS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@hourly']

/** Why this cron expression is unusable, or null when it is fine. */
export function cronProblem(cron: string): string | null {
  const trimmed = cron.trim()
  if (!trimmed) return 'is empty'
  if (trimmed.startsWith('@')) {
    return MACROS.includes(trimmed.toLowerCase()) ? null : `unknown macro; use one of ${MACROS.join(', ')}`
  }
  const fields = trimmed.split(/\s+/)
  if (fields.length !== 5) return `needs 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`
  try {
    CronExpressionParser.parse(trimmed)
    return null
  }
  catch (error) {
    return `is not a valid cron expression (${(error as Error).message})`
  }
}

/** Why this timezone is unusable, or null for an IANA zone name like America/Toronto. */
export function timezoneProblem(timezone: string): string | null {
  if (timezone !== 'UTC' && !timezone.includes('/')) return 'must be an IANA timezone name such as America/Toronto or UTC'
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone })
    return null
  }
  catch {
    return `is not a known IANA timezone (${timezone})`
  }
}

export const cronSchema = z.string().max(200).superRefine((value, context) => {
  const problem = cronProblem(value)
  if (problem) context.addIssue({ code: 'custom', message: problem })
}).transform(value => value.trim())

export const timezoneSchema = z.string().max(100).superRefine((value, context) => {
  const problem = timezoneProblem(value)
  if (problem) context.addIssue({ code: 'custom', message: problem })
})

/** The next `count` fire times strictly after `after`, in order. */
export function nextFireTimes(cron: string, timezone: string, after: Date, count: number): Date[] {
  const expression = CronExpressionParser.parse(cron.trim(), { tz: timezone, currentDate: after })
  const times: Date[] = []
  for (let index = 0; index < count; index++) times.push(expression.next().toDate())
  return times
}

// How far the firing pass walks slot by slot from the last due time before jumping.
const MAX_CATCH_UP_STEPS = 1000

/**
 * The slot a schedule waits for after firing the slot `dueAt` at `now`: the first slot
 * after `now`. Missed slots in between are counted, not fired (downtime fires once).
 * Walking from `dueAt` rather than from `now` keeps a once-a-day schedule from firing
 * again in the repeated hour of a fall-back night.
 */
export function slotAfter(cron: string, timezone: string, dueAt: Date, now: Date): { nextFireAt: Date, missedSlots: number } {
  const expression = CronExpressionParser.parse(cron.trim(), { tz: timezone, currentDate: dueAt })
  let missedSlots = 0
  for (let step = 0; step < MAX_CATCH_UP_STEPS; step++) {
    const candidate = expression.next().toDate()
    if (candidate > now) return { nextFireAt: candidate, missedSlots }
    missedSlots++
  }
  return { nextFireAt: nextFireTimes(cron, timezone, now, 1)[0]!, missedSlots }
}
