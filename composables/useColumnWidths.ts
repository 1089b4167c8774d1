// Column widths of the results grid: sized to fit the header and the first rows' values
// (so `customers_affected`, timestamps and md5s are not cut), then resized by dragging a
// header's right edge; a double click on the edge fits the column again.
import type { ResultColumnView } from './runTypes'

const CHAR_PX = 7.6
const PADDING_PX = 26
export const MIN_COLUMN_PX = 48
const MAX_AUTO_PX = 480

export function fitWidth(header: string, type: string, samples: string[]): number {
  const longest = Math.max(header.length + 2, type.length * 0.85, ...samples.map(sample => Math.min(sample.length, 200)))
  return Math.round(Math.min(MAX_AUTO_PX, Math.max(72, longest * CHAR_PX + PADDING_PX)))
}

export function useColumnWidths(columns: Ref<ResultColumnView[]>, sample: (columnIndex: number) => string[]) {
  const manual = ref<Record<number, number>>({})
  const fitted = ref<number[]>([])

  function fitAll() {
    fitted.value = columns.value.map((column, index) => fitWidth(column.name, column.type, sample(index)))
  }
  watch(columns, () => {
    manual.value = {}
    fitAll()
  }, { immediate: true })

  const widths = computed(() => columns.value.map((_, index) => manual.value[index] ?? fitted.value[index] ?? 150))

  function startResize(index: number, event: PointerEvent) {
    const startX = event.clientX
    const startWidth = widths.value[index] ?? 150
    const move = (moved: PointerEvent) => {
      manual.value = { ...manual.value, [index]: Math.max(MIN_COLUMN_PX, Math.round(startWidth + moved.clientX - startX)) }
    }
    const stop = () => {
      window.removeEventListener('pointermove', move)
      window.removeEventListener('pointerup', stop)
    }
    window.addEventListener('pointermove', move)
    window.addEventListener('pointerup', stop)
  }

  function fit(index: number) {
    manual.value = Object.fromEntries(Object.entries(manual.value).filter(([key]) => Number(key) !== index))
    fitAll()
  }

  return { widths, startResize, fit, fitAll }
}
