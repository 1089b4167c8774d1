// The choices of a query-based enum parameter: the first column of the source query's
// latest succeeded result. Only when the source has never succeeded is a run asked for
// (which answers from the cache when a fresh result exists).
import { isRunFinished } from '#shared/runs'
import type { ResultPageView, RunView } from './runTypes'

async function latestSucceededRun(queryId: string): Promise<RunView | undefined> {
  const history = await $fetch<RunView[]>(`/api/queries/${queryId}/runs`, { query: { limit: 20 } })
  return history.find(run => run.status === 'succeeded')
}

async function freshRun(queryId: string): Promise<RunView> {
  let run = await $fetch<RunView>(`/api/queries/${queryId}/runs`, { method: 'POST', body: {} })
  for (let attempt = 0; attempt < 60 && !isRunFinished(run.status); attempt++) {
    await new Promise(resolve => setTimeout(resolve, 500))
    run = await $fetch<RunView>(`/api/runs/${run.id}`)
  }
  return run
}

export async function loadQueryChoices(queryId: string): Promise<string[]> {
  const run = (await latestSucceededRun(queryId)) ?? (await freshRun(queryId))
  if (run.status !== 'succeeded') return []
  const page = await $fetch<ResultPageView>(`/api/runs/${run.id}/result`, { query: { offset: 0, limit: 10_000 } })
  return page.rows.map(row => String(row[0]))
}
