// useQueryRunner starts, cancels and estimates runs of the query being edited. A saved
// query whose draft is unchanged runs by id (so the cache and single flight apply); a
// draft or a selection runs ad hoc with the draft's SQL and parameters.
import type { QueryDraft } from './useQueryDraft'
import type { QueryView } from './queryTypes'
import type { RunView } from './runTypes'
import type { ResultSort } from '#shared/schemas/queries'
import type { ParameterDefinition } from '#shared/parameters/types'

export interface RunRequest {
  selection?: { text: string, from: number }
  // maxAgeSeconds 0 asks for a fresh run even when a cached result exists
  refresh?: boolean
  // the whole result sorted by the worker (the query wrapped in ORDER BY)
  sort?: ResultSort
}

export interface EstimateView { rows: number, cost: number, plan: string }

export function useQueryRunner(draft: Ref<QueryDraft>, saved: Ref<QueryView | undefined>, dirty: Ref<boolean>, values: Ref<Record<string, unknown>>) {
  const runId = ref<string>()
  // where the SQL that ran starts in the editor text (a selection starts later than 0)
  const sqlOffset = ref(0)
  // the editor text that was sent, to map an error position back onto it
  const sentSql = ref('')
  const sentParameters = ref<ParameterDefinition[]>([])
  const starting = ref(false)
  const startError = ref<string>()
  const estimate = ref<EstimateView>()
  // how the shown run was reached: `cached` when the server answered from a stored result
  // (GET /api/runs/:id does not say so, only the POST does), `stored` when the page opened
  // on the query's last result without running
  const answeredFrom = ref<'run' | 'cached' | 'stored'>('run')

  // Every parameter of the draft, a cleared one as null: the server falls back to a
  // default only for a value left out, so a field the form shows empty runs empty.
  function presentParams(): Record<string, unknown> {
    return Object.fromEntries(draft.value.parameters.map((parameter) => {
      const value = values.value[parameter.name]
      return [parameter.name, value === undefined || value === '' ? null : value]
    }))
  }

  async function start(request: RunRequest = {}) {
    starting.value = true
    startError.value = undefined
    try {
      const maxAgeSeconds = request.refresh ? 0 : undefined
      const run = saved.value && !dirty.value && !request.selection
        ? await $fetch<RunView>(`/api/queries/${saved.value.id}/runs`, { method: 'POST', body: { params: presentParams(), maxAgeSeconds, sort: request.sort } })
        : await $fetch<RunView>('/api/runs', {
            method: 'POST',
            body: {
              datasourceId: draft.value.datasourceId,
              sql: request.selection?.text ?? draft.value.sql,
              parameters: draft.value.parameters,
              params: presentParams(),
              options: { ...draft.value.options, ...(request.refresh ? { maxAgeSeconds: 0 } : {}) },
              sort: request.sort,
              ...(saved.value ? { queryId: saved.value.id } : {}),
            },
          })
      sqlOffset.value = request.selection?.from ?? 0
      sentSql.value = request.selection?.text ?? draft.value.sql
      sentParameters.value = draft.value.parameters
      answeredFrom.value = run.cached ? 'cached' : 'run'
      runId.value = run.id
    }
    catch (error) {
      refuse(apiErrorMessage(error))
    }
    finally {
      starting.value = false
    }
  }

  // a run that cannot start takes the previous result (and its badge) off the screen, so
  // old rows never pass for the answer to the values now in the form
  function refuse(message: string) {
    startError.value = message
    runId.value = undefined
  }

  async function cancel() {
    if (runId.value) await $fetch(`/api/runs/${runId.value}/cancel`, { method: 'POST' }).catch((error) => { startError.value = apiErrorMessage(error) })
  }

  async function explain() {
    startError.value = undefined
    try {
      estimate.value = await $fetch<EstimateView>('/api/runs/estimate', {
        method: 'POST',
        body: { datasourceId: draft.value.datasourceId, sql: draft.value.sql, parameters: draft.value.parameters, params: presentParams() },
      })
    }
    catch (error) {
      startError.value = apiErrorMessage(error)
    }
  }

  function showStored(id: string) {
    answeredFrom.value = 'stored'
    runId.value = id
  }

  return { runId, answeredFrom, showStored, refuse, sqlOffset, sentSql, sentParameters, starting, startError, estimate, start, cancel, explain }
}
