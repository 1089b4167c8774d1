// What a value of each parameter type may look like, and resolving the values a caller
// gave (or the defaults) into bind-ready values: relative dates become concrete days or
// instants in the given timezone. Problems are reported all at once, each naming the
// parameter, so a form can show them beside the right fields.
import { z } from 'zod'
import { isRelativeDateToken, localTimeToInstant, resolveRelativeRange, startOfDayInstant } from './relative-dates'
import { ParameterError, type ParameterDefinition, type ParameterIssue, type ParameterType } from './types'

/** A value ready to bind: strings, booleans, {start, end} for date ranges, arrays for lists. */
export type BindableValue = string | boolean | { start: string, end: string } | string[]
export type ResolvedValues = Record<string, BindableValue | undefined>

export interface ResolveContext {
  timezone: string
  now: Date
  // query_enum: the values currently allowed, by parameter name (the server looks them up)
  allowedValues?: Record<string, readonly string[]>
}

const numericPattern = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/
const integerPattern = /^[+-]?\d+$/
// BigInt() rather than 2n literals: the server bundle targets a syntax level without them
const INT8_MIN = -(BigInt(2) ** BigInt(63))
const INT8_MAX = BigInt(2) ** BigInt(63) - BigInt(1)
const localTimePattern = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$/

const relativeHint = 'a relative date such as today, yesterday, last_7_days, this_week, last_month'

const dayValue = z.union([
  z.iso.date({ message: 'must be a date (YYYY-MM-DD)' }),
  z.string().refine(isRelativeDateToken, { message: `must be a date (YYYY-MM-DD) or ${relativeHint}` }),
], { message: `must be a date (YYYY-MM-DD) or ${relativeHint}` })

const textValue = z.string({ message: 'must be text' }).max(100_000, 'must be at most 100,000 characters')

const numberValue = z.union([
  z.number().refine(Number.isFinite, 'must be a finite number'),
  z.string().trim().regex(numericPattern, 'must be a number'),
], { message: 'must be a number' }).transform(value => String(value))

const integerValue = z.union([
  z.number().int('must be a whole number').refine(Number.isSafeInteger, 'must be a whole number below 2^53 (send larger ones as a string)'),
  z.string().trim().regex(integerPattern, 'must be a whole number'),
], { message: 'must be a whole number' })
  .transform(value => String(value))
  .refine(value => BigInt(value) >= INT8_MIN && BigInt(value) <= INT8_MAX, 'must fit in a 64-bit integer')
  .transform(value => BigInt(value).toString())

const booleanValue = z.union([z.boolean(), z.enum(['true', 'false'])], { message: 'must be true or false' })
  .transform(value => value === true || value === 'true')

const timestampValue = z.union([
  z.iso.datetime({ offset: true, local: true, message: 'must be a timestamp (ISO 8601)' }),
  z.string().regex(localTimePattern, 'must be a timestamp (ISO 8601)'),
  z.iso.date(),
  z.string().refine(isRelativeDateToken),
], { message: `must be a timestamp (ISO 8601), a date, or ${relativeHint}` })

const dateRangeValue = z.union([
  z.string().refine(isRelativeDateToken, { message: `must be ${relativeHint}` }),
  z.object({ start: dayValue, end: dayValue }, { message: 'must be {start, end}' }),
], { message: `must be {start, end} (dates) or ${relativeHint}` })

const choiceValue = z.string({ message: 'must be text' }).max(10_000)

/** The zod schema of one raw (not yet resolved) value of a type, as a form or API caller sends it. */
export function rawValueSchema(type: ParameterType): z.ZodType {
  switch (type) {
    case 'text': return textValue
    case 'number': return numberValue
    case 'integer': return integerValue
    case 'boolean': return booleanValue
    case 'date': return dayValue
    case 'timestamp': return timestampValue
    case 'date_range': return dateRangeValue
    case 'enum':
    case 'query_enum': return choiceValue
  }
}

/** Absent, null, an empty string or an empty list: the parameter has no value. */
export function isEmptyValue(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)
}

function resolveDay(value: string, context: ResolveContext): string {
  return isRelativeDateToken(value) ? resolveRelativeRange(value, context.timezone, context.now).start : value
}

function resolveTimestamp(value: string, context: ResolveContext): string {
  if (isRelativeDateToken(value)) return startOfDayInstant(resolveRelativeRange(value, context.timezone, context.now).start, context.timezone)
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return startOfDayInstant(value, context.timezone)
  // a wall-clock time without an offset is read in the run's timezone
  if (localTimePattern.test(value) || /^\d{4}-\d{2}-\d{2}T[\d:.]+$/.test(value)) return localTimeToInstant(value.replace(' ', 'T'), context.timezone)
  return new Date(value).toISOString()
}

function resolveScalar(definition: ParameterDefinition, parsed: unknown, context: ResolveContext): BindableValue {
  switch (definition.type) {
    case 'date': return resolveDay(parsed as string, context)
    case 'timestamp': return resolveTimestamp(parsed as string, context)
    case 'date_range': {
      if (typeof parsed === 'string') return resolveRelativeRange(parsed, context.timezone, context.now)
      const range = parsed as { start: string, end: string }
      const start = isRelativeDateToken(range.start) ? resolveRelativeRange(range.start, context.timezone, context.now).start : range.start
      const end = isRelativeDateToken(range.end) ? resolveRelativeRange(range.end, context.timezone, context.now).end : range.end
      return { start, end }
    }
    default: return parsed as string | boolean
  }
}

function checkChoice(definition: ParameterDefinition, value: string, context: ResolveContext): string | undefined {
  const allowed = definition.type === 'enum' ? definition.options : context.allowedValues?.[definition.name]
  if (!allowed || allowed.includes(value)) return undefined
  const shown = allowed.slice(0, 10).map(choice => JSON.stringify(choice)).join(', ')
  return `${JSON.stringify(value.slice(0, 100))} is not one of its choices (${shown}${allowed.length > 10 ? ', …' : ''})`
}

/** Validates and resolves one parameter's raw value; returns an error message or the value. */
function resolveOne(definition: ParameterDefinition, raw: unknown, context: ResolveContext): { value?: BindableValue, error?: string } {
  const schema = rawValueSchema(definition.type)
  const items = definition.multiple ? (Array.isArray(raw) ? raw : [raw]) : [raw]
  if (!definition.multiple && Array.isArray(raw)) return { error: 'takes one value, not a list' }
  if (items.length > 10_000) return { error: 'takes at most 10,000 values' }
  const resolved: BindableValue[] = []
  for (const [index, item] of items.entries()) {
    const parsed = schema.safeParse(item)
    const where = definition.multiple ? `value ${index + 1} ` : ''
    if (!parsed.success) return { error: `${where}${parsed.error.issues[0]!.message}` }
    if (definition.type === 'date_range' || !(definition.type === 'enum' || definition.type === 'query_enum')) {
      resolved.push(resolveScalar(definition, parsed.data, context))
      continue
    }
    const problem = checkChoice(definition, parsed.data as string, context)
    if (problem) return { error: `${where}${problem}` }
    resolved.push(parsed.data as string)
  }
  return { value: definition.multiple ? (resolved as string[]) : resolved[0] }
}

/**
 * The bind-ready value of every parameter: the caller's value, else (when the caller
 * left it out) the default, else undefined (empty). A value the caller sent empty on
 * purpose (null, '', []) stays empty: an optional parameter can be cleared, and a
 * required one is refused rather than quietly run with its default. Throws a
 * ParameterError naming every bad, missing-required or unknown parameter.
 */
export function resolveParameterValues(parameters: readonly ParameterDefinition[], rawValues: Record<string, unknown> | undefined, context: ResolveContext): ResolvedValues {
  const values = rawValues ?? {}
  const issues: ParameterIssue[] = []
  const known = new Set(parameters.map(definition => definition.name))
  for (const name of Object.keys(values)) {
    if (!known.has(name)) issues.push({ path: `params.${name}`, message: `there is no parameter named "${name}"` })
  }
  const resolved: ResolvedValues = {}
  for (const definition of parameters) {
    const given = values[definition.name]
    const raw = given === undefined ? definition.default : given
    if (isEmptyValue(raw)) {
      if (definition.required) issues.push({ path: `params.${definition.name}`, message: `parameter "${definition.name}" is required` })
      resolved[definition.name] = undefined
      continue
    }
    const { value, error } = resolveOne(definition, raw, context)
    if (error) issues.push({ path: `params.${definition.name}`, message: `parameter "${definition.name}" ${error}` })
    else resolved[definition.name] = value
  }
  if (issues.length > 0) throw new ParameterError(`Invalid parameters: ${issues.map(issue => issue.message).join('; ')}`, issues)
  return resolved
}
