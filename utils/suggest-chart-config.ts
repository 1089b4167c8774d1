// First guesses for a new chart, as Metabase and Redash make them: x is the first date or
// text column, y the first number column that is not x. Only fields the config lacks
// are filled, so a choice the user made is never overwritten.
import type { VisualizationType } from '#shared/schemas/visualizations'
import { isNumberType, isTimeType } from '#shared/visualizations/format'

export function suggestChartConfig(type: VisualizationType, columns: { name: string, type: string }[], config: Record<string, unknown>): Record<string, unknown> {
  const time = columns.find(column => isTimeType(column.type))
  const text = columns.find(column => !isTimeType(column.type) && !isNumberType(column.type))
  const numbers = columns.filter(column => isNumberType(column.type))
  const dimension = (type === 'pie' ? text ?? time : time ?? text) ?? columns[0]
  const measure = numbers.find(column => column.name !== dimension?.name) ?? columns.find(column => column.name !== dimension?.name)
  if (!dimension || !measure) return config
  if (['line', 'bar', 'area', 'scatter'].includes(type)) {
    return {
      ...config,
      x: config.x ?? dimension.name,
      y: (config.y as string[] | undefined)?.length ? config.y : [measure.name],
    }
  }
  if (type === 'pie') return { ...config, label: config.label ?? dimension.name, value: config.value ?? measure.name }
  if (type === 'stat') return { ...config, value: config.value ?? measure.name }
  return config
}
