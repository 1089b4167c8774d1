// server/schedules owns schedules: their CRUD (store.ts), finding due slots and claiming
// each exactly once (claim.ts), turning a claimed firing into runs (fire.ts, targets.ts),
// following those runs to a firing's outcome and the schedule's failure streak
// (settle.ts), and the worker loop that drives all of it (worker.ts).
// It never executes SQL of its own users: a firing only enqueues runs.
//
// The fire queue: a claim transaction sends one job per batch of claimed firings, so
// a firing is never lost between claiming and enqueueing, and every worker shares the work.
export const SCHEDULE_FIRE_QUEUE = 'schedule-fire'

export interface ScheduleFireJobData {
  firingIds: string[]
}
