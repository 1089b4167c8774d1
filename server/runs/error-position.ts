// Where in the query's own SQL (with its {{placeholders}}) a run's error points. Postgres
// reports positions in the compiled SQL ($n placeholders); the editor highlights the
// text the user wrote. The source is the saved query at the run's version, compiled
// again with the run's values: only which blocks are kept and each parameter's type
// shape the compiled text, so the stretches line up. Ad-hoc runs have no stored source:
// the editor maps those itself with shared/parameters/compile.ts (sourcePosition).
import { and, eq } from 'drizzle-orm'
import { queryVersions } from '../../db/schema'
import { compileSql, sourcePosition } from '#shared/parameters/compile'
import type { ParameterDefinition } from '#shared/parameters/types'
import { resolveParameterValues } from '#shared/parameters/values'
import { useDb } from '../utils/db'
import type { Run } from './read'

export async function sourceErrorPosition(run: Run): Promise<number | null> {
  if (run.errorPosition === null || !run.queryId || run.queryVersion === null) return null
  const [version] = await useDb().select().from(queryVersions)
    .where(and(eq(queryVersions.queryId, run.queryId), eq(queryVersions.version, run.queryVersion)))
  if (!version) return null
  try {
    const parameters = version.parameters as ParameterDefinition[]
    const values = resolveParameterValues(parameters, run.params, { timezone: 'UTC', now: run.queuedAt })
    const compiled = compileSql(version.sql, parameters, values)
    // only trust the map when it rebuilds exactly the SQL that ran
    if (compiled.sql !== run.sql) return null
    return sourcePosition(compiled, run.errorPosition) ?? null
  }
  catch {
    return null
  }
}
