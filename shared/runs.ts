// Run statuses and triggers: one union each, used by server and pages alike.
export const runStatuses = ['queued', 'running', 'succeeded', 'failed', 'canceled', 'timed_out'] as const
export type RunStatus = (typeof runStatuses)[number]

export const finishedRunStatuses: readonly RunStatus[] = ['succeeded', 'failed', 'canceled', 'timed_out']
export function isRunFinished(status: RunStatus): boolean {
  return finishedRunStatuses.includes(status)
}

/** The most runs one event stream follows (a dashboard's tiles fit with room to spare). */
export const MAX_STREAMED_RUNS = 100

export const runTriggers = ['user', 'api', 'schedule', 'dashboard'] as const
export type RunTrigger = (typeof runTriggers)[number]
