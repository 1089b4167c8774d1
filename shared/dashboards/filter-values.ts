// What is wrong with a dashboard filter value typed into the filter bar (or the URL), or
// '' when it may be used: numbers must be numbers, whole for integer filters, and inside
// the filter's own bounds (`min`, `max`), so `-5` for "Last N days" gets a message
// instead of empty charts. The bar and the server check with this same function.
import type { DashboardFilter } from '../schemas/dashboards'

const numberPattern = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/
const integerPattern = /^[+-]?\d+$/

export function filterValueProblem(filter: Pick<DashboardFilter, 'type' | 'min' | 'max' | 'options'>, given: unknown): string {
  // a number input's v-model hands over numbers, the URL strings
  const value = given === undefined || given === null ? '' : String(given).trim()
  if (value === '') return ''
  if (filter.type === 'number' || filter.type === 'integer') {
    if (!(filter.type === 'integer' ? integerPattern : numberPattern).test(value)) return filter.type === 'integer' ? 'must be a whole number' : 'must be a number'
    const number = Number(value)
    if (filter.min !== undefined && number < filter.min) return `must be at least ${filter.min}`
    if (filter.max !== undefined && number > filter.max) return `must be at most ${filter.max}`
  }
  if (filter.type === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(value)) return 'must be a date (YYYY-MM-DD)'
  if (filter.type === 'boolean' && !['true', 'false', '1', '0'].includes(value)) return 'must be true or false'
  if (filter.type === 'enum' && filter.options?.length && !filter.options.includes(value)) return `must be one of ${filter.options.slice(0, 10).join(', ')}`
  return ''
}
