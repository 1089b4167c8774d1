// Maps a scroll position onto rows when the full row height would pass the browser's
// maximum element height (~33.5M px in Chromium; 2M rows × 28 px is 56M px). The scroll
// space is capped; beyond the cap, scrolling moves through rows proportionally, so the top
// shows row 0 and the bottom shows the last row whatever the row count.
export const MAX_SCROLL_SPACE_PX = 8_000_000

export interface RowWindow {
  first: number
  last: number
  // where row `first` sits relative to the top of the rows area (≤ 0)
  offset: number
}

export function scrollSpaceHeight(rowCount: number, rowHeight: number): number {
  return Math.min(rowCount * rowHeight, MAX_SCROLL_SPACE_PX)
}

export function rowWindow(scrollTop: number, viewportHeight: number, rowCount: number, rowHeight: number): RowWindow {
  if (rowCount === 0 || viewportHeight <= 0) return { first: 0, last: -1, offset: 0 }
  const fullHeight = rowCount * rowHeight
  const space = scrollSpaceHeight(rowCount, rowHeight)
  const maxScroll = Math.max(0, space - viewportHeight)
  const maxVirtualTop = Math.max(0, fullHeight - viewportHeight)
  const clampedScroll = Math.min(Math.max(0, scrollTop), maxScroll)
  const virtualTop = maxScroll === 0 ? 0 : space === fullHeight ? clampedScroll : (clampedScroll / maxScroll) * maxVirtualTop
  const first = Math.min(rowCount - 1, Math.floor(virtualTop / rowHeight))
  const offset = first * rowHeight - virtualTop
  const last = Math.min(rowCount - 1, first + Math.ceil((viewportHeight - offset) / rowHeight))
  return { first, last, offset }
}
