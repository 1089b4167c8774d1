// chart.js, registered once with only what our chart types use (tree-shaken), plus a
// plugin that paints the panel's background so a downloaded PNG is not transparent. Text
// and grid colours follow the page's theme (light or dark, from the system setting).
import {
  ArcElement, BarController, BarElement, CategoryScale, Chart, Decimation, Filler, Legend,
  LinearScale, LineController, LineElement, PieController, PointElement, ScatterController, Tooltip,
} from 'chart.js'
import type { Plugin } from 'chart.js'

const whiteBackground: Plugin = {
  id: 'whiteBackground',
  beforeDraw(chart) {
    const context = chart.canvas.getContext('2d')
    if (!context) return
    context.save()
    context.globalCompositeOperation = 'destination-over'
    context.fillStyle = themeColor('--panel', '#ffffff')
    context.fillRect(0, 0, chart.width, chart.height)
    context.restore()
  },
}

let registered = false

function themeColor(variable: string, fallback: string): string {
  if (typeof document === 'undefined') return fallback
  return getComputedStyle(document.documentElement).getPropertyValue(variable).trim() || fallback
}

export function useChartJs(): typeof Chart {
  if (!registered) {
    Chart.register(
      LineController, BarController, PieController, ScatterController,
      LineElement, BarElement, PointElement, ArcElement,
      LinearScale, CategoryScale, Tooltip, Legend, Filler, Decimation, whiteBackground,
    )
    registered = true
  }
  Chart.defaults.color = themeColor('--muted', '#5f6b7a')
  Chart.defaults.borderColor = themeColor('--rule', '#eef0f3')
  return Chart
}
