// The choices of a query-based enum parameter: the first column of the source query's
// latest result. Asking for a run reuses a fresh cached result when there is one.
import { isRunFinished } from '~~/shared/runs'
import type { ResultPageView, RunView } from './runTypes'

export async function loadQueryChoices(queryId: string): Promise<string[]> {
  let run = await $fetch<RunView>(`/api/queries/${queryId}/runs`, { method: 'POST', body: {} })
  for (let attempt = 0; attempt < 60 && !isRunFinished(run.status); attempt++) {
    await new Promise(resolve => setTimeout(resolve, 500))
    run = await $fetch<RunView>(`/api/runs/${run.id}`)
  }
  if (run.status !== 'succeeded') return []
  const page = await $fetch<ResultPageView>(`/api/runs/${run.id}/result`, { query: { offset: 0, limit: 10_000 } })
  return page.rows.map(row => String(row[0]))
}
