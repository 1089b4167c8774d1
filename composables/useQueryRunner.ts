// useQueryRunner starts, cancels and estimates runs of the query being edited. A saved
// query whose draft is unchanged runs by id (so the cache and single flight apply); a
// draft or a selection runs ad hoc with the draft's SQL and parameters.
import type { QueryDraft } from './useQueryDraft'
import type { QueryView } from './queryTypes'
import type { RunView } from './runTypes'

export interface RunRequest {
  selection?: { text: string, from: number }
  // maxAgeSeconds 0 asks for a fresh run even when a cached result exists
  refresh?: boolean
}

export interface EstimateView { rows: number, cost: number, plan: string }

export function useQueryRunner(draft: Ref<QueryDraft>, saved: Ref<QueryView | undefined>, dirty: Ref<boolean>, values: Ref<Record<string, unknown>>) {
  const runId = ref<string>()
  // where the SQL that ran starts in the editor text (a selection starts later than 0)
  const sqlOffset = ref(0)
  // the editor text that was sent, to map an error position back onto it
  const sentSql = ref('')
  const starting = ref(false)
  const startError = ref<string>()
  const estimate = ref<EstimateView>()

  function presentParams(): Record<string, unknown> {
    return Object.fromEntries(Object.entries(values.value).filter(([, value]) => value !== undefined && value !== ''))
  }

  async function start(request: RunRequest = {}) {
    starting.value = true
    startError.value = undefined
    try {
      const maxAgeSeconds = request.refresh ? 0 : undefined
      const run = saved.value && !dirty.value && !request.selection
        ? await $fetch<RunView>(`/api/queries/${saved.value.id}/runs`, { method: 'POST', body: { params: presentParams(), maxAgeSeconds } })
        : await $fetch<RunView>('/api/runs', {
            method: 'POST',
            body: {
              datasourceId: draft.value.datasourceId,
              sql: request.selection?.text ?? draft.value.sql,
              parameters: draft.value.parameters,
              params: presentParams(),
              options: { ...draft.value.options, ...(request.refresh ? { maxAgeSeconds: 0 } : {}) },
              ...(saved.value ? { queryId: saved.value.id } : {}),
            },
          })
      sqlOffset.value = request.selection?.from ?? 0
      sentSql.value = request.selection?.text ?? draft.value.sql
      runId.value = run.id
    }
    catch (error) {
      startError.value = apiErrorMessage(error)
    }
    finally {
      starting.value = false
    }
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

  return { runId, sqlOffset, sentSql, starting, startError, estimate, start, cancel, explain }
}
