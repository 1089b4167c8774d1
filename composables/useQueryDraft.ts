// useQueryDraft owns the query being edited: loading it, the unsaved draft, whether it
// differs from what was saved, parameters kept in step with the SQL's {{name}}
// placeholders (new ones become text parameters), and saving (create or update).
import { placeholderNames } from '#shared/parameters/compile'
import type { QueryParameterView, QueryView } from './queryTypes'

export interface QueryDraft {
  name: string
  datasourceId: string
  sql: string
  parameters: QueryParameterView[]
  options: QueryView['options']
  tags: string[]
}

function draftOf(query: QueryView): QueryDraft {
  return { name: query.name, datasourceId: query.datasourceId, sql: query.sql, parameters: query.parameters ?? [], options: query.options ?? {}, tags: query.tags ?? [] }
}

export function useQueryDraft(queryId: Ref<string | undefined>) {
  const saved = ref<QueryView>()
  const draft = ref<QueryDraft>({ name: 'Untitled query', datasourceId: '', sql: 'select 1', parameters: [], options: {}, tags: [] })
  const baseline = ref(JSON.stringify(draft.value))
  const dirty = computed(() => JSON.stringify(draft.value) !== baseline.value)
  const saving = ref(false)

  function reset(query: QueryView) {
    saved.value = query
    draft.value = draftOf(query)
    baseline.value = JSON.stringify(draft.value)
  }

  async function load() {
    if (queryId.value) reset(await $fetch<QueryView>(`/api/queries/${queryId.value}`))
  }

  // every definition seen while editing: a placeholder deleted and typed again (or cut and
  // pasted) gets its settings back instead of starting over as text
  const remembered = new Map<string, QueryParameterView>()

  // keep one parameter per placeholder, in placeholder order; unknown names start as text
  watch(() => draft.value.sql, (sqlText) => {
    const names = placeholderNames(sqlText)
    const current = draft.value.parameters
    for (const parameter of current) remembered.set(parameter.name, parameter)
    const next = names.map(name => current.find(parameter => parameter.name === name) ?? remembered.get(name) ?? { name, type: 'text' as const })
    if (JSON.stringify(next) !== JSON.stringify(current)) draft.value.parameters = next
  })

  async function save(): Promise<QueryView> {
    saving.value = true
    try {
      const body = { ...draft.value }
      const result = saved.value
        ? await $fetch<QueryView>(`/api/queries/${saved.value.id}`, { method: 'PATCH', body })
        : await $fetch<QueryView>('/api/queries', { method: 'POST', body })
      reset(result)
      return result
    }
    finally {
      saving.value = false
    }
  }

  function markClean() {
    baseline.value = JSON.stringify(draft.value)
  }

  return { saved, draft, dirty, saving, load, save, reset, markClean }
}
