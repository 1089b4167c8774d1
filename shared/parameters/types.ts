// shared/parameters owns Tessera's typed query parameters: their definitions (types.ts),
// what a value of each type may look like (values.ts), relative dates resolved in a
// timezone (relative-dates.ts), and turning SQL with {{name}} placeholders into SQL
// with $n bind parameters (compile.ts). Used by pages (the parameter form) and by the
// server (enqueue). A value is never spliced into SQL text: it is always bound.
import { z } from 'zod'

export const parameterTypes = ['text', 'number', 'integer', 'boolean', 'date', 'timestamp', 'date_range', 'enum', 'query_enum'] as const
export type ParameterType = (typeof parameterTypes)[number]

// types that may hold a list of values (bound as one array parameter)
export const multipleCapableTypes: readonly ParameterType[] = ['text', 'number', 'integer', 'enum', 'query_enum', 'date']

const parameterName = z.string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must start with a letter or _ and hold only letters, digits and _')
  .max(63, 'must be at most 63 characters')

export const parameterDefinitionSchema = z.object({
  name: parameterName,
  type: z.enum(parameterTypes, { message: `must be one of ${parameterTypes.join(', ')}` }),
  label: z.string().max(200).optional(),
  required: z.boolean().optional(),
  // raw value, validated against the type like any value (relative dates allowed)
  default: z.unknown().optional(),
  // the fixed choices of an enum
  options: z.array(z.string().max(1000)).max(10_000).optional(),
  // query_enum: the saved query whose latest result's first column gives the choices
  queryId: z.uuid({ message: 'must be an id (UUID)' }).optional(),
  multiple: z.boolean().optional(),
}).superRefine((definition, context) => {
  if (definition.type === 'enum' && (!definition.options || definition.options.length === 0)) {
    context.addIssue({ code: 'custom', path: ['options'], message: 'an enum parameter needs a non-empty list of options' })
  }
  if (definition.type === 'query_enum' && !definition.queryId) {
    context.addIssue({ code: 'custom', path: ['queryId'], message: 'a query_enum parameter needs the queryId whose result lists its values' })
  }
  if (definition.multiple && !multipleCapableTypes.includes(definition.type)) {
    context.addIssue({ code: 'custom', path: ['multiple'], message: `a ${definition.type} parameter cannot take several values` })
  }
})

export type ParameterDefinition = z.infer<typeof parameterDefinitionSchema>

export const parameterListSchema = z.array(parameterDefinitionSchema).max(100).superRefine((list, context) => {
  const seen = new Set<string>()
  list.forEach((definition, index) => {
    if (seen.has(definition.name)) context.addIssue({ code: 'custom', path: [index, 'name'], message: `parameter "${definition.name}" is defined twice` })
    seen.add(definition.name)
  })
})

export interface ParameterIssue {
  path: string
  message: string
}

/** A parameter problem the caller can fix (a 400 on the server, a form message in pages). */
export class ParameterError extends Error {
  constructor(message: string, readonly issues: ParameterIssue[] = []) {
    super(message)
    this.name = 'ParameterError'
  }
}
