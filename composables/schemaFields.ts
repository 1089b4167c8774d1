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

function notesOf(schema: JsonSchema): string {
  const notes: string[] = []
  if (schema.format) notes.push(schema.format)
  if (schema.minLength !== undefined) notes.push(`at least ${schema.minLength} characters`)
  if (schema.maxLength !== undefined) notes.push(`at most ${schema.maxLength} characters`)
  if (schema.minimum !== undefined) notes.push(`≥ ${schema.minimum}`)
  if (schema.exclusiveMinimum !== undefined) notes.push(`> ${schema.exclusiveMinimum}`)
  if (schema.maximum !== undefined) notes.push(`≤ ${schema.maximum}`)
  if (schema.exclusiveMaximum !== undefined) notes.push(`< ${schema.exclusiveMaximum}`)
  if (schema.minItems !== undefined) notes.push(`at least ${schema.minItems} items`)
  if (schema.maxItems !== undefined) notes.push(`at most ${schema.maxItems} items`)
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
