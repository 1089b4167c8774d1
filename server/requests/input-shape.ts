// Owns what any request input (JSON body, query string, path parameters) must be before a
// schema looks at it: no string, value or key, holding a NUL character (Postgres text and
// jsonb cannot store one, so it would end as a 500) or a lone UTF-16 surrogate (not
// encodable as UTF-8: it would be stored as U+FFFD, silently changed), and no nesting
// deeper than MAX_INPUT_DEPTH. The walk is a loop over a stack, never recursion, so a
// 5,000-deep array is refused here instead of overflowing the call stack in zod or later.
export const MAX_INPUT_DEPTH = 64

// enough to show what is wrong without answering a huge body with a huge list
const MAX_ISSUES = 20

export interface InputIssue {
  // dotted, like a zod issue's path: `tiles.0.text`; `(root)` for the input itself
  path: string
  message: string
}

interface Visit {
  value: unknown
  key: string | number | undefined
  parent: Visit | undefined
  // 1 for the input itself
  depth: number
}

function pathOf(visit: Visit): string {
  const keys: (string | number)[] = []
  for (let at: Visit | undefined = visit; at && at.key !== undefined; at = at.parent) keys.push(at.key)
  return keys.length ? keys.reverse().join('.') : '(root)'
}

function textProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain a NUL character (\\u0000)'
  if (!text.isWellFormed()) return 'must not contain a lone UTF-16 surrogate (a \\uD800–\\uDFFF without its pair)'
  return undefined
}

/** What is wrong with the input's strings and nesting, in the shape of a 400's field issues. */
export function inputShapeIssues(input: unknown): InputIssue[] {
  const issues: InputIssue[] = []
  const pending: Visit[] = [{ value: input, key: undefined, parent: undefined, depth: 1 }]
  while (pending.length > 0 && issues.length < MAX_ISSUES) {
    const visit = pending.pop()!
    const { value, depth } = visit
    if (typeof value === 'string') {
      const problem = textProblem(value)
      if (problem) issues.push({ path: pathOf(visit), message: problem })
      continue
    }
    if (value === null || typeof value !== 'object') continue
    if (depth > MAX_INPUT_DEPTH) {
      issues.push({ path: pathOf(visit), message: `is nested deeper than ${MAX_INPUT_DEPTH} levels` })
      continue
    }
    if (Array.isArray(value)) {
      value.forEach((item, index) => pending.push({ value: item, key: index, parent: visit, depth: depth + 1 }))
      continue
    }
    for (const [key, item] of Object.entries(value)) {
      const entry: Visit = { value: item, key, parent: visit, depth: depth + 1 }
      const problem = textProblem(key)
      if (problem) issues.push({ path: pathOf(entry), message: `(the key) ${problem}` })
      else pending.push(entry)
    }
  }
  return issues
}
