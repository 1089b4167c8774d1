// useResultPages owns server paging of one run's result: rows are fetched a page at a
// time from /api/runs/:id/result as the grid asks for them, kept in a bounded cache
// (least recently used pages evicted), so a 1M-row result never lives whole in the tab.
import type { ResultColumnView, ResultPageView } from './runTypes'

export const RESULT_PAGE_ROWS = 500
const MAX_CACHED_PAGES = 60

export function useResultPages(runId: Ref<string | undefined>) {
  const columns = ref<ResultColumnView[]>([])
  const rowCount = ref(0)
  const truncated = ref(false)
  const loaded = ref(false)
  const error = ref<string>()
  // bumped whenever a page arrives, so views reading rows re-render
  const version = ref(0)
  const pages = new Map<number, unknown[][]>()
  const inFlight = new Map<number, Promise<void>>()

  async function fetchPage(pageIndex: number, id: string) {
    const offset = pageIndex * RESULT_PAGE_ROWS
    const page = await $fetch<ResultPageView>(`/api/runs/${id}/result`, { query: { offset, limit: RESULT_PAGE_ROWS } })
    // the server ends a page early once it passes its byte cap (very long values): ask for the rest
    while (page.rows.length < RESULT_PAGE_ROWS && offset + page.rows.length < page.rowCount) {
      const rest = await $fetch<ResultPageView>(`/api/runs/${id}/result`, { query: { offset: offset + page.rows.length, limit: RESULT_PAGE_ROWS - page.rows.length } })
      if (rest.rows.length === 0) break
      page.rows.push(...rest.rows)
    }
    if (runId.value !== id) return
    // columns are the same on every page: replacing them would re-create the grid's columns
    if (!loaded.value) columns.value = page.columns
    rowCount.value = page.rowCount
    truncated.value = page.truncated
    pages.set(pageIndex, page.rows)
    while (pages.size > MAX_CACHED_PAGES) pages.delete(pages.keys().next().value!)
    loaded.value = true
    version.value++
  }

  function ensurePage(pageIndex: number) {
    const id = runId.value
    if (!id || pages.has(pageIndex) || inFlight.has(pageIndex)) return
    const request = fetchPage(pageIndex, id)
      .catch((failure) => { error.value = apiErrorMessage(failure) })
      .finally(() => inFlight.delete(pageIndex))
    inFlight.set(pageIndex, request)
  }

  /** Asks for every page covering rows [first, last]; rows arrive later through `row`. */
  function ensureRows(first: number, last: number) {
    for (let page = Math.floor(first / RESULT_PAGE_ROWS); page <= Math.floor(last / RESULT_PAGE_ROWS); page++) ensurePage(page)
  }

  function row(index: number): unknown[] | undefined {
    const pageIndex = Math.floor(index / RESULT_PAGE_ROWS)
    const page = pages.get(pageIndex)
    if (!page) return undefined
    // touch: a page read moves to the back of the eviction order
    pages.delete(pageIndex)
    pages.set(pageIndex, page)
    return page[index - pageIndex * RESULT_PAGE_ROWS]
  }

  async function load() {
    pages.clear()
    inFlight.clear()
    loaded.value = false
    error.value = undefined
    columns.value = []
    rowCount.value = 0
    const id = runId.value
    if (!id) return
    await fetchPage(0, id).catch((failure) => { error.value = apiErrorMessage(failure) })
  }

  return { columns, rowCount, truncated, loaded, error, version, ensureRows, row, load }
}
