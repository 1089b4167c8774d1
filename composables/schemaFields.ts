// Flattens a JSON Schema (as the OpenAPI document holds it) into one row per field for the
// API page: `config.host`, `tiles[].x`, with a readable type and its limits.
import type { JsonSchema } from './openApiTypes'

export interface SchemaField {
  name: string
  type: string
  required: boolean
  notes: string
}

function typeOf(schema: JsonSchema): string {
  if (schema.const !== undefined) return JSON.stringify(schema.const)
  if (Array.isArray(schema.enum)) return schema.enum.map((value: unknown) => JSON.stringify(value)).join(' | ')
  const variants = schema.anyOf ?? schema.oneOf
  if (Array.isArray(variants)) return variants.map(typeOf).join(' | ')
  if (schema.type === 'array') return `${schema.items ? typeOf(schema.items) : 'any'}[]`
  if (Array.isArray(schema.type)) return schema.type.join(' | ')
  if (schema.type === 'object' && !schema.properties && typeof schema.additionalProperties === 'object') return `{ [name]: ${typeOf(schema.additionalProperties)} }`
  return schema.type ?? 'any'
}

function count(amount: number, unit: string): string {
  return `${amount} ${unit}${amount === 1 ? '' : 's'}`
}

// zod writes the safe-integer range as the bounds of every integer: no news to a reader
function isMeaningfulBound(bound: number | undefined): bound is number {
  return bound !== undefined && Math.abs(bound) !== Number.MAX_SAFE_INTEGER
}

function notesOf(schema: JsonSchema): string {
  const notes: string[] = []
  if (schema.format) notes.push(schema.format)
  if (schema.minLength !== undefined) notes.push(`at least ${count(schema.minLength, 'character')}`)
  if (schema.maxLength !== undefined) notes.push(`at most ${count(schema.maxLength, 'character')}`)
  if (isMeaningfulBound(schema.minimum)) notes.push(`≥ ${schema.minimum}`)
  if (isMeaningfulBound(schema.exclusiveMinimum)) notes.push(`> ${schema.exclusiveMinimum}`)
  if (isMeaningfulBound(schema.maximum)) notes.push(`≤ ${schema.maximum}`)
  if (isMeaningfulBound(schema.exclusiveMaximum)) notes.push(`< ${schema.exclusiveMaximum}`)
  if (schema.minItems !== undefined) notes.push(`at least ${count(schema.minItems, 'item')}`)
  if (schema.maxItems !== undefined) notes.push(`at most ${count(schema.maxItems, 'item')}`)
  if (schema.default !== undefined) notes.push(`default ${JSON.stringify(schema.default)}`)
  if (schema.description) notes.push(schema.description)
  return notes.join('; ')
}

export function schemaFields(schema: JsonSchema | undefined, prefix = ''): SchemaField[] {
  if (!schema?.properties) return []
  const required = new Set(schema.required ?? [])
  const fields: SchemaField[] = []
  for (const [name, property] of Object.entries(schema.properties)) {
    const path = `${prefix}${name}`
    fields.push({ name: path, type: typeOf(property), required: required.has(name), notes: notesOf(property) })
    if (property.properties) fields.push(...schemaFields(property, `${path}.`))
    else if (property.type === 'array' && property.items?.properties) fields.push(...schemaFields(property.items, `${path}[].`))
  }
  return fields
}

/** A schema with no fields of its own (a record, a union of shapes) is shown as its type. */
export function schemaSummary(schema: JsonSchema | undefined): string {
  return schema ? typeOf(schema) : ''
}

/** Text with `code` spans, as pieces to render (the descriptions use backticks, never HTML). */
export function codeSpans(text: string): { text: string, code: boolean }[] {
  return text.split('`').map((piece, index) => ({ text: piece, code: index % 2 === 1 })).filter(piece => piece.text)
}
