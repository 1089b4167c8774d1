// Visualization bodies and the config of each chart type, shared by the config panel and
// the server. A config names result columns; a column missing from a later result is
// shown as a tile message, never a crash, so configs are validated for shape only.
import { z } from 'zod'

export const visualizationTypes = ['line', 'bar', 'area', 'pie', 'scatter', 'stat', 'table'] as const
export type VisualizationType = (typeof visualizationTypes)[number]

const column = z.string().trim().min(1, 'choose a column').max(200)
const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1f77b4')

// how a date or timestamp axis labels its ticks; `auto` picks by the span shown
export const dateFormats = ['auto', 'day', 'month', 'year', 'datetime', 'time'] as const
export const legendPositions = ['auto', 'top', 'bottom', 'right', 'none'] as const

export const numberFormat = z.object({
  decimals: z.number().int().min(0).max(10).optional(),
  style: z.enum(['number', 'percent', 'compact']).default('number'),
  prefix: z.string().max(20).default(''),
  suffix: z.string().max(20).default(''),
})
export type NumberFormat = z.infer<typeof numberFormat>

// line, area, bar, scatter: one x column, one or more y columns, or one y column split
// into series by the values of `series` (long format, as SQL usually returns it)
export const xyConfig = z.object({
  x: column,
  y: z.array(column).min(1, 'choose at least one y column').max(20),
  series: column.optional(),
  stacked: z.boolean().default(false),
  horizontal: z.boolean().default(false),
  colors: z.array(color).max(20).default([]),
  yFormat: numberFormat.default({ style: 'number', prefix: '', suffix: '' }),
  xDateFormat: z.enum(dateFormats).default('auto'),
  // axis titles: shown by default as the column names, unless renamed or turned off
  axisTitles: z.boolean().default(true),
  xTitle: z.string().trim().max(100).optional(),
  yTitle: z.string().trim().max(100).optional(),
  legend: z.enum(legendPositions).default('auto'),
})

export const pieConfig = z.object({
  label: column,
  value: column,
  colors: z.array(color).max(20).default([]),
  format: numberFormat.default({ style: 'number', prefix: '', suffix: '' }),
  legend: z.enum(legendPositions).default('auto'),
})

export const statConfig = z.object({
  value: column,
  // compare the first row's value with the second row's (results ordered newest first),
  // or with another column of the first row
  comparison: z.enum(['none', 'next_row', 'column']).default('none'),
  comparisonColumn: column.optional(),
  unit: z.string().max(20).default(''),
  format: numberFormat.default({ style: 'number', prefix: '', suffix: '' }),
  // higher is better (green up) unless told otherwise, e.g. latency
  higherIsBetter: z.boolean().default(true),
})

export const conditionalColor = z.object({
  operator: z.enum(['>', '>=', '<', '<=', '=', '!=']),
  value: z.union([z.number(), z.string().max(200)]),
  color,
})

export const tableColumnConfig = z.object({
  name: column,
  label: z.string().max(200).optional(),
  hidden: z.boolean().default(false),
  format: numberFormat.optional(),
  conditions: z.array(conditionalColor).max(10).default([]),
})

export const tableConfig = z.object({
  columns: z.array(tableColumnConfig).max(200).default([]),
  pageSize: z.number().int().min(5).max(500).default(50),
})

export const visualizationConfigByType = {
  line: xyConfig,
  bar: xyConfig,
  area: xyConfig,
  scatter: xyConfig,
  pie: pieConfig,
  stat: statConfig,
  table: tableConfig,
} as const

export type XyConfig = z.infer<typeof xyConfig>
export type PieConfig = z.infer<typeof pieConfig>
export type StatConfig = z.infer<typeof statConfig>
export type TableConfig = z.infer<typeof tableConfig>
export type TableColumnConfig = z.infer<typeof tableColumnConfig>

const name = z.string().trim().min(1, 'is required').max(200)

// The config is checked against its type's schema, with issues under `config.<field>`.
function withTypedConfig<T extends z.ZodObject>(schema: T) {
  return schema.superRefine((body: { type?: VisualizationType, config?: unknown }, context) => {
    if (!body.type || body.config === undefined) return
    const parsed = visualizationConfigByType[body.type].safeParse(body.config)
    if (parsed.success) {
      body.config = parsed.data
      return
    }
    for (const issue of parsed.error.issues) {
      context.addIssue({ code: 'custom', path: ['config', ...issue.path], message: issue.message })
    }
  })
}

export const newVisualizationBody = withTypedConfig(z.object({
  name,
  type: z.enum(visualizationTypes),
  config: z.record(z.string(), z.unknown()),
}))

export const visualizationPatchBody = withTypedConfig(z.object({
  name: name.optional(),
  type: z.enum(visualizationTypes).optional(),
  config: z.record(z.string(), z.unknown()).optional(),
}))

export function parseVisualizationConfig(type: VisualizationType, config: unknown) {
  return visualizationConfigByType[type].safeParse(config)
}
