// What is wrong with one parameter value as the form holds it, in the server's words
// (rawValueSchema is the server's own check), or '' when it may run. A required value
// left empty is a problem here: the form never silently runs with the default instead.
import { isEmptyValue, rawValueSchema } from '#shared/parameters/values'
import type { QueryParameterView } from '~/composables/queryTypes'

export function parameterProblem(parameter: QueryParameterView, value: unknown): string {
  if (parameter.type === 'date_range' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const range = value as { start?: string, end?: string }
    if (!range.start && !range.end) return parameter.required ? 'required' : ''
    if (!range.start || !range.end) return 'choose both the first and the last day'
    if (range.start > range.end) return 'the first day is after the last'
  }
  if (isEmptyValue(value)) return parameter.required ? 'required' : ''
  const items = parameter.multiple && Array.isArray(value) ? value : [value]
  for (const item of items) {
    const parsed = rawValueSchema(parameter.type).safeParse(item)
    if (!parsed.success) return parsed.error.issues[0]?.message ?? 'is not valid'
  }
  return ''
}

/** "name: problem" for every parameter that cannot run as filled in. */
export function parameterProblems(parameters: QueryParameterView[], values: Record<string, unknown>): string[] {
  return parameters.flatMap((parameter) => {
    const problem = parameterProblem(parameter, values[parameter.name])
    return problem ? [`${parameter.label || parameter.name}: ${problem}`] : []
  })
}
