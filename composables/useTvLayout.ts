// TV mode on a wall screen: the whole dashboard fits the viewport's height. Rows are
// scaled to the height left under the title and filters; when that would make rows
// shorter than MIN_ROW_PX, the tiles are split into pages of whole rows that fit and the
// pages cycle every PAGE_SECONDS, so no tile is ever below the fold.
const GAP_PX = 12
const MIN_ROW_PX = 40
const BOTTOM_PX = 16
export const PAGE_SECONDS = 20

interface Placed { id: string, x: number, y: number, w: number, h: number }

export function useTvLayout<Tile extends Placed>(tiles: Ref<Tile[]>, active: Ref<boolean>, grid: Ref<HTMLElement | undefined>) {
  const available = ref(0)
  const page = ref(0)
  let timer: ReturnType<typeof setInterval> | undefined

  function measure() {
    if (!grid.value) return
    available.value = Math.max(0, window.innerHeight - grid.value.getBoundingClientRect().top - BOTTOM_PX)
  }

  const totalRows = computed(() => Math.max(1, ...tiles.value.map(tile => tile.y + tile.h)))
  const fitsOnePage = computed(() => (available.value - GAP_PX * (totalRows.value - 1)) / totalRows.value >= MIN_ROW_PX)
  const rowsPerPage = computed(() => Math.max(1, Math.floor((available.value + GAP_PX) / (MIN_ROW_PX + GAP_PX))))
  // each page holds the tiles that fit whole under its first row; a tile that does not
  // fit starts the next page (one taller than a page gets a page of its own)
  const pages = computed(() => {
    if (fitsOnePage.value) return [{ start: 0, rows: totalRows.value, ids: new Set(tiles.value.map(tile => tile.id)) }]
    const result: { start: number, rows: number, ids: Set<string> }[] = []
    let remaining = [...tiles.value].sort((a, b) => a.y - b.y || a.x - b.x)
    while (remaining.length) {
      const start = remaining[0]!.y
      const fitting = remaining.filter(tile => tile.y + tile.h <= start + rowsPerPage.value)
      const page = fitting.length ? fitting : [remaining[0]!]
      const ids = new Set(page.map(tile => tile.id))
      result.push({ start, rows: Math.max(...page.map(tile => tile.y + tile.h)) - start, ids })
      remaining = remaining.filter(tile => !ids.has(tile.id))
    }
    return result
  })
  const current = computed(() => pages.value[Math.min(page.value, pages.value.length - 1)] ?? { start: 0, rows: totalRows.value, ids: new Set<string>() })
  const shownTiles = computed(() => !active.value
    ? tiles.value
    : tiles.value.filter(tile => current.value.ids.has(tile.id)).map(tile => ({ ...tile, y: tile.y - current.value.start })))
  const rowHeight = computed(() => active.value && available.value > 0
    ? Math.max(MIN_ROW_PX, Math.floor((available.value - GAP_PX * (current.value.rows - 1)) / current.value.rows))
    : undefined)

  function start() {
    stop()
    page.value = 0
    void nextTick(measure)
    window.addEventListener('resize', measure)
    timer = setInterval(() => { page.value = (page.value + 1) % pages.value.length }, PAGE_SECONDS * 1000)
  }
  function stop() {
    window.removeEventListener('resize', measure)
    if (timer) clearInterval(timer)
    timer = undefined
  }
  watch(active, on => on ? start() : stop(), { immediate: true })
  // the filter bar's height can change once filters load
  watch(tiles, () => { if (active.value) void nextTick(measure) })
  onBeforeUnmount(stop)

  return { shownTiles, rowHeight, page, pageCount: computed(() => pages.value.length) }
}
