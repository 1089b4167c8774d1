// The choices of a query_enum parameter, the one function behind both routes that give
// them (by source query for the editor and filters, by parameter for API users; a
// source that never ran is first run by server/runs/enum-choices.ts): the first column
// of the latest succeeded run of another saved query of the same org, read from its
// stored result. At most MAX_CHOICES distinct values, in result order.
// Given the caller's access, a source on a datasource hidden from them is as unknown as
// a missing one.
import { and, desc, eq, isNotNull } from 'drizzle-orm'
import { queries, runs } from '../../db/schema'
import { readResultPage } from '../results/read'
import { canReach, type DatasourceAccess } from '../access/check'
import { useDb } from '../utils/db'

export const MAX_CHOICES = 10_000

export interface EnumChoices {
  values: string[]
  runId: string | null
  finishedAt: Date | null
}

export async function queryEnumChoices(orgId: string, sourceQueryId: string, access?: DatasourceAccess): Promise<EnumChoices | undefined> {
  const db = useDb()
  const [source] = await db.select({ id: queries.id, datasourceId: queries.datasourceId }).from(queries).where(and(eq(queries.id, sourceQueryId), eq(queries.orgId, orgId)))
  if (!source || (access && !canReach(access, source.datasourceId))) return undefined
  const [latest] = await db.select({ id: runs.id, finishedAt: runs.finishedAt }).from(runs)
    .where(and(eq(runs.queryId, sourceQueryId), eq(runs.orgId, orgId), eq(runs.status, 'succeeded'), isNotNull(runs.finishedAt)))
    .orderBy(desc(runs.finishedAt)).limit(1)
  if (!latest) return { values: [], runId: null, finishedAt: null }
  const page = await readResultPage(orgId, latest.id, 0, MAX_CHOICES)
  const values = [...new Set((page?.rows ?? []).map(row => row[0]).filter(value => value !== null && value !== undefined).map(String))]
  return { values, runId: latest.id, finishedAt: latest.finishedAt }
}
