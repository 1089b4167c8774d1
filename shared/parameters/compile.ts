// Compiles a query's SQL into what the worker executes: {{name}} placeholders become
// $n bind parameters with an explicit cast, and the values go beside the SQL, in order.
// A value is NEVER written into the SQL text.
//
// Syntax (documented for query authors):
//   {{name}}                 one bound value, cast to the parameter's type:
//                            text/enum/query_enum ::text, number ::numeric, integer ::bigint,
//                            boolean ::boolean, date ::date, timestamp ::timestamptz
//   {{name}} (multiple)      one array value (::text[], ::numeric[], ...): `col = ANY({{name}})`
//   {{range.start}}, {{range.end}}   the two days of a date_range (both inclusive, ::date):
//                            `day >= {{range.start}} AND day < {{range.end}} + 1`
//   [[ AND col = {{name}} ]] an optional block: dropped when a placeholder directly inside
//                            it has no value, kept (without the brackets) otherwise. Blocks
//                            nest. Brackets around no placeholder at all (ARRAY[[1,2]]) are
//                            left as they are.
// An optional parameter without a value outside any block is bound as a typed NULL.
// Placeholders inside string literals, quoted identifiers, dollar quotes and comments
// are plain text. Positional $1 markers in the SQL are refused: use {{name}}.
import { tokenizeSql, type SqlToken } from './sql-tokens'
import { ParameterError, type ParameterDefinition, type ParameterIssue, type ParameterType } from './types'
import { isEmptyValue, type ResolvedValues } from './values'

export interface CompiledSql {
  sql: string
  bindValues: unknown[]
  // stretches of the compiled SQL copied verbatim from the source: [compiledOffset, sourceOffset, length]
  sourceMap: [number, number, number][]
}

const casts: Record<ParameterType, string> = {
  text: 'text',
  number: 'numeric',
  integer: 'bigint',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamptz',
  date_range: 'date',
  enum: 'text',
  query_enum: 'text',
}

type Placeholder = Extract<SqlToken, { kind: 'placeholder' }>
type Node = { kind: 'text', text: string, offset: number } | Placeholder | { kind: 'block', children: Node[], open: number, close: number }

/** Pairs [[ with ]]; a bracket without its partner is ordinary text (array subscripts). */
function parse(tokens: SqlToken[]): Node[] {
  const root: Node[] = []
  const stack: { children: Node[], open: SqlToken }[] = []
  const current = () => stack.at(-1)?.children ?? root
  for (const token of tokens) {
    if (token.kind === 'open') stack.push({ children: [], open: token })
    else if (token.kind === 'close') {
      const block = stack.pop()
      if (block) current().push({ kind: 'block', children: block.children, open: block.open.offset, close: token.offset })
      else current().push({ kind: 'text', text: ']]', offset: token.offset })
    }
    else if (token.kind === 'positional') current().push({ kind: 'text', text: token.text, offset: token.offset })
    else current().push(token)
  }
  // unclosed [[: its contents stay, with the brackets as text
  while (stack.length > 0) {
    const block = stack.pop()!
    current().push({ kind: 'text', text: '[[', offset: block.open.offset }, ...block.children)
  }
  return root
}

function hasPlaceholder(nodes: Node[]): boolean {
  return nodes.some(node => node.kind === 'placeholder' || (node.kind === 'block' && hasPlaceholder(node.children)))
}

/**
 * SQL with $1..$n and the values to bind. `values` are resolved (resolveParameterValues):
 * undefined means empty. Throws ParameterError for unknown placeholders, misuse of a
 * date_range, positional markers and missing required values.
 */
export function compileSql(sql: string, parameters: readonly ParameterDefinition[], values: ResolvedValues): CompiledSql {
  const tokens = tokenizeSql(sql)
  const issues: ParameterIssue[] = []
  for (const token of tokens) {
    if (token.kind === 'positional') {
      issues.push({ path: 'sql', message: `write parameters as {{name}}: positional ${token.text} (at character ${token.offset + 1}) is not allowed` })
    }
  }
  const definitions = new Map(parameters.map(definition => [definition.name, definition]))
  const bindValues: unknown[] = []
  const bindIndex = new Map<string, number>()

  const isEmpty = (placeholder: Placeholder) => isEmptyValue(values[placeholder.name])

  const bind = (placeholder: Placeholder): string => {
    const definition = definitions.get(placeholder.name)
    if (!definition) {
      issues.push({ path: 'sql', message: `the SQL uses {{${placeholder.name}}} but there is no parameter named "${placeholder.name}"` })
      return placeholder.text
    }
    if (definition.type === 'date_range' && placeholder.part !== 'start' && placeholder.part !== 'end') {
      issues.push({ path: 'sql', message: `date range "${definition.name}" is used as {{${definition.name}.start}} and {{${definition.name}.end}}, not ${placeholder.text}` })
      return placeholder.text
    }
    if (definition.type !== 'date_range' && placeholder.part) {
      issues.push({ path: 'sql', message: `${placeholder.text}: only date_range parameters have .start and .end` })
      return placeholder.text
    }
    const value = values[definition.name]
    if (isEmptyValue(value) && definition.required) {
      issues.push({ path: `params.${definition.name}`, message: `parameter "${definition.name}" is required` })
    }
    const key = placeholder.part ? `${definition.name}.${placeholder.part}` : definition.name
    let index = bindIndex.get(key)
    if (index === undefined) {
      let bound: unknown = isEmptyValue(value) ? null : value
      if (bound !== null && definition.type === 'date_range') bound = (bound as { start: string, end: string })[placeholder.part as 'start' | 'end']
      bindValues.push(bound)
      index = bindValues.length
      bindIndex.set(key, index)
    }
    return `$${index}::${casts[definition.type]}${definition.multiple ? '[]' : ''}`
  }

  let compiled = ''
  const sourceMap: [number, number, number][] = []
  const copy = (text: string, sourceOffset: number) => {
    sourceMap.push([compiled.length, sourceOffset, text.length])
    compiled += text
  }
  const render = (nodes: Node[]): void => {
    for (const node of nodes) {
      if (node.kind === 'text') copy(node.text, node.offset)
      else if (node.kind === 'placeholder') compiled += bind(node)
      else if (!hasPlaceholder(node.children)) {
        copy('[[', node.open)
        render(node.children)
        copy(']]', node.close)
      }
      else if (!node.children.some(child => child.kind === 'placeholder' && isEmpty(child))) render(node.children)
    }
  }

  render(parse(tokens))
  if (issues.length > 0) throw new ParameterError(`Invalid SQL parameters: ${issues.map(issue => issue.message).join('; ')}`, issues)
  return { sql: compiled, bindValues, sourceMap }
}

/**
 * The 1-based position in the source SQL of a 1-based position in the compiled SQL (what
 * Postgres reports in an error), or undefined when it falls inside a $n placeholder — then
 * the start of that placeholder's stretch is the best answer the caller can show.
 */
export function sourcePosition(compiled: Pick<CompiledSql, 'sourceMap'>, compiledPosition: number): number | undefined {
  const offset = compiledPosition - 1
  let previous: [number, number, number] | undefined
  for (const entry of compiled.sourceMap) {
    const [compiledOffset, sourceOffset, length] = entry
    if (offset >= compiledOffset && offset < compiledOffset + length) return sourceOffset + (offset - compiledOffset) + 1
    if (compiledOffset > offset) break
    previous = entry
  }
  // inside a placeholder: point just after the verbatim text before it
  return previous ? previous[1] + previous[2] + 1 : undefined
}

/** Every placeholder name the SQL uses (outside strings and comments), for editors. */
export function placeholderNames(sql: string): string[] {
  const names = new Set<string>()
  for (const token of tokenizeSql(sql)) if (token.kind === 'placeholder') names.add(token.name)
  return [...names]
}
