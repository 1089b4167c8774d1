// Schedules' cron expressions and IANA timezones: validated the same way on the server
// (the API, firing) and in the page (the editor). When a schedule fires is decided by
// one function, nextFireAfter in shared/cron/next-fire.ts.
import { z } from 'zod'
import { CronSyntaxError, parseCron } from './cron/expression'
import { nextFireAfter } from './cron/next-fire'

export const firingStatuses = ['pending', 'running', 'succeeded', 'failed', 'skipped'] as const
export type FiringStatus = (typeof firingStatuses)[number]

/** Why this cron expression is unusable, or null when it is fine. */
export function cronProblem(cron: string): string | null {
  try {
    parseCron(cron)
    return null
  }
  catch (error) {
    if (error instanceof CronSyntaxError) return error.message
    throw error
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

// How far the firing pass walks slot by slot from the last due time before jumping.
const MAX_CATCH_UP_STEPS = 1000

/**
 * The slot a schedule waits for after firing the slot `dueAt` at `now`: the first slot
 * after `now`. Missed slots in between are counted, not fired (downtime fires once).
 */
export function slotAfter(cron: string, timezone: string, dueAt: Date, now: Date): { nextFireAt: Date, missedSlots: number } {
  let candidate = dueAt
  for (let missedSlots = 0; missedSlots < MAX_CATCH_UP_STEPS; missedSlots++) {
    candidate = nextFireAfter(cron, timezone, candidate)
    if (candidate > now) return { nextFireAt: candidate, missedSlots }
  }
  return { nextFireAt: nextFireAfter(cron, timezone, now), missedSlots: MAX_CATCH_UP_STEPS }
}
