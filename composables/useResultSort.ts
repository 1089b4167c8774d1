// Sorting a result by one column, always over the whole result: a result that is complete
// and small (≤ CLIENT_SORT_MAX_ROWS) is fetched whole and sorted in the tab; a larger or
// truncated one is re-run on the worker wrapped in ORDER BY (shared/sorted-run.ts), and
// the page says so. The query's own run stays the one to go back to.
import type { ResultSort } from '#shared/schemas/queries'
import { isNumberType, toNumber } from '#shared/visualizations/format'
import type { ResultColumnView, ResultPageView } from './runTypes'

export const CLIENT_SORT_MAX_ROWS = 10_000

const collator = new Intl.Collator('en', { numeric: true })

export function compareValues(a: unknown, b: unknown, numeric: boolean): number {
  if (numeric) {
    const left = toNumber(a)
    const right = toNumber(b)
    if (left !== null && right !== null) return left - right
  }
  return collator.compare(typeof a === 'object' ? JSON.stringify(a) : String(a), typeof b === 'object' ? JSON.stringify(b) : String(b))
}

/** The rows ordered by one column (0-based), nulls last whichever the direction, ties in their old order. */
export function sortRows(rows: unknown[][], columnIndex: number, direction: 'asc' | 'desc', numeric: boolean): unknown[][] {
  const sign = direction === 'asc' ? 1 : -1
  return rows.map((row, position) => ({ row, position })).sort((a, b) => {
    const left = a.row[columnIndex]
    const right = b.row[columnIndex]
    if (left === null || left === undefined) return right === null || right === undefined ? a.position - b.position : 1
    if (right === null || right === undefined) return -1
    return sign * compareValues(left, right, numeric) || a.position - b.position
  }).map(entry => entry.row)
}

export function useResultSort(options: {
  runId: Ref<string | undefined>
  columns: Ref<ResultColumnView[]>
  rowCount: Ref<number>
  truncated: Ref<boolean>
  // re-runs the query wrapped in ORDER BY (or, with undefined, as it is)
  rerun: (sort: ResultSort | undefined) => Promise<void> | void
}) {
  // shallow: compared by identity below, so it must hold the object itself, not a proxy
  const sort = shallowRef<ResultSort>()
  const how = ref<'browser' | 'worker'>()
  const sortedRows = shallowRef<unknown[][]>()
  // bumped whenever the sorted rows change, so the grid re-reads every row it shows
  const generation = ref(0)
  watch(sortedRows, () => { generation.value++ })
  const sorting = ref(false)
  const error = ref<string>()

  function reset() {
    sort.value = undefined
    how.value = undefined
    sortedRows.value = undefined
    error.value = undefined
  }

  async function sortBy(next: ResultSort | undefined) {
    error.value = undefined
    sortedRows.value = undefined
    const wasOnWorker = how.value === 'worker'
    sort.value = next
    if (!next) {
      how.value = undefined
      if (wasOnWorker) await options.rerun(undefined)
      return
    }
    const id = options.runId.value
    if (!wasOnWorker && id && !options.truncated.value && options.rowCount.value <= CLIENT_SORT_MAX_ROWS) {
      how.value = 'browser'
      sorting.value = true
      try {
        // a page may stop early at the server's page byte cap: ask on until every row is here
        const rows: unknown[][] = []
        while (rows.length < options.rowCount.value) {
          const page = await $fetch<ResultPageView>(`/api/runs/${id}/result`, { query: { offset: rows.length, limit: CLIENT_SORT_MAX_ROWS - rows.length } })
          if (page.rows.length === 0) break
          rows.push(...page.rows)
        }
        if (sort.value !== next) return
        const column = options.columns.value[next.column - 1]
        sortedRows.value = sortRows(rows, next.column - 1, next.direction, isNumberType(column?.type ?? ''))
      }
      catch (failure) {
        error.value = apiErrorMessage(failure)
      }
      finally {
        sorting.value = false
      }
      return
    }
    how.value = 'worker'
    await options.rerun(next)
  }

  function row(index: number): unknown[] | undefined {
    return sortedRows.value?.[index]
  }

  return { sort, how, sortedRows, generation, sorting, error, sortBy, reset, row }
}
