// A small in-process cache of decoded first pages of tile results. A succeeded run's
// result never changes, so a page keyed by (org, run) is safe to reuse for as long as
// the engine still calls that run fresh; many viewers then cost one decompression.
// Bounded by total rows held, oldest entries evicted first.
import type { ResultPage } from '../results/read'

const MAX_ROWS_HELD = 200_000
const pages = new Map<string, ResultPage>()
let rowsHeld = 0

export function cachedPage(orgId: string, runId: string): ResultPage | undefined {
  const key = `${orgId}:${runId}`
  const page = pages.get(key)
  if (page) {
    // refresh its place in the eviction order
    pages.delete(key)
    pages.set(key, page)
  }
  return page
}

export function rememberPage(orgId: string, runId: string, page: ResultPage): void {
  const key = `${orgId}:${runId}`
  if (pages.has(key) || page.rows.length > MAX_ROWS_HELD / 4) return
  pages.set(key, page)
  rowsHeld += page.rows.length
  for (const [oldKey, oldPage] of pages) {
    if (rowsHeld <= MAX_ROWS_HELD) break
    pages.delete(oldKey)
    rowsHeld -= oldPage.rows.length
  }
}
