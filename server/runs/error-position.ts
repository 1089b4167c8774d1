// A saved query's run: its error mapped into the query's SQL at the run's version (the
// stored source), with the one mapping of shared/parameters/error-position.ts.
import { and, eq } from 'drizzle-orm'
import { queryVersions, type Run } from '../../db/schema'
import { sourceErrorPosition as mapErrorPosition } from '#shared/parameters/error-position'
import { useDb } from '../utils/db'

export async function sourceErrorPosition(run: Run): Promise<number | null> {
  if (run.errorPosition === null || !run.queryId || run.queryVersion === null) return null
  const [version] = await useDb().select().from(queryVersions)
    .where(and(eq(queryVersions.queryId, run.queryId), eq(queryVersions.version, run.queryVersion)))
  if (!version) return null
  return mapErrorPosition(version.sql, version.parameters, run)
}
