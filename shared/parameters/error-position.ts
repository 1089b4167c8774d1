// Where in the SQL a person wrote (with its {{placeholders}} and [[optional blocks]]) a
// run's error points. Postgres reports a 1-based position in the compiled SQL ($n
// markers); the source is compiled again with the run's values (only which blocks are
// kept and each parameter's type shape the compiled text) and the compiler's source map
// gives the way back. The server maps saved queries' runs with it (from the stored
// version) and the editor maps its ad-hoc runs (from the text it sent): one mapping.
import { compileSql, sourcePosition } from './compile'
import type { ParameterDefinition } from './types'
import { resolveParameterValues } from './values'

export interface FailedRunText {
  sql: string | null
  params: Record<string, unknown>
  queuedAt: Date | string
  errorPosition: number | null
}

/** The error's 1-based position in `sourceSql`, or null when it cannot be traced there. */
export function sourceErrorPosition(sourceSql: string, parameters: readonly ParameterDefinition[], run: FailedRunText): number | null {
  if (run.errorPosition === null || run.sql === null) return null
  try {
    const values = resolveParameterValues(parameters, run.params, { timezone: 'UTC', now: new Date(run.queuedAt) })
    const compiled = compileSql(sourceSql, parameters, values)
    // only trust the map when it rebuilds exactly the SQL that ran
    if (compiled.sql !== run.sql) return null
    return sourcePosition(compiled, run.errorPosition) ?? null
  }
  catch {
    return null
  }
}
