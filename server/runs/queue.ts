// The run queue's name and job payload: the web sends, workers work.
export const RUN_QUEUE = 'run-query'

export interface RunJobData {
  runId: string
}
