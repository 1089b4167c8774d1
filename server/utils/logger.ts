// Structured logs: one JSON object per line, so a container's log collector can index
// run ids, query ids and datasource ids without parsing prose.
//
// A log line never carries the values bound to a metadata query. Drizzle writes every
// bound value into its error message ("Failed query: …\nparams: …") and Postgres writes
// the rejected row or key into an error's `detail` ("Failing row contains (…)"), so one
// failed insert would put a new user's password hash, a datasource's encrypted password
// or an email into the logs. Errors are therefore logged through `describeError`, and
// every string is stripped of a "params:" tail, whoever formatted it.
type Fields = Record<string, unknown>

// from "\nparams: " to the stack's first frame or the end of the text
const BOUND_VALUES = /\nparams: [\s\S]*?(?=\n\s+at |$)/g

export function withoutBoundValues(text: string): string {
  return text.replace(BOUND_VALUES, '')
}

// what a database error may say about itself: where it failed, never with which values
const SAFE_ERROR_FIELDS = ['code', 'severity', 'constraint', 'schema', 'table', 'column', 'dataType', 'statusCode'] as const

/** An error as loggable fields: name, message, stack and cause chain, without bound values or `detail`. */
export function describeError(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error)) return typeof error === 'string' ? withoutBoundValues(error) : error
  // some libraries' errors (drizzle's) keep the name "Error"; their class says more
  const name = error.name === 'Error' ? error.constructor.name : error.name
  const described: Fields = { name, message: withoutBoundValues(error.message) }
  for (const field of SAFE_ERROR_FIELDS) {
    const value = (error as unknown as Fields)[field]
    if (value !== undefined && value !== null) described[field] = value
  }
  if (error.stack) described.stack = withoutBoundValues(error.stack)
  if (error.cause !== undefined && depth < 5) described.cause = describeError(error.cause, depth + 1)
  return described
}

// JSON.stringify hands a replacer what toJSON() made of a value (h3's errors have one that
// drops the cause); the holder, `this`, still has the value itself.
function redact(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const original = this[key]
  if (original instanceof Error) return describeError(original)
  return typeof value === 'string' ? withoutBoundValues(value) : value
}

function write(level: 'info' | 'warn' | 'error', message: string, fields: Fields = {}) {
  const line = JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }, redact)
  if (level === 'error') console.error(line)
  else console.log(line)
}

export const logger = {
  info: (message: string, fields?: Fields) => write('info', message, fields),
  warn: (message: string, fields?: Fields) => write('warn', message, fields),
  error: (message: string, fields?: Fields) => write('error', message, fields),
}
