// chart.js, registered once with only what our chart types use (tree-shaken), plus a
// plugin that paints a white background so a downloaded PNG is not transparent.
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
    context.fillStyle = '#ffffff'
    context.fillRect(0, 0, chart.width, chart.height)
    context.restore()
  },
}

let registered = false

export function useChartJs(): typeof Chart {
  if (!registered) {
    Chart.register(
      LineController, BarController, PieController, ScatterController,
      LineElement, BarElement, PointElement, ArcElement,
      LinearScale, CategoryScale, Tooltip, Legend, Filler, Decimation, whiteBackground,
    )
    registered = true
  }
  return Chart
}
