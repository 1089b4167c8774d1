// A sorted re-run of a query: the whole result ordered by one column, done by Postgres on
// the worker. The query is wrapped as a subquery and ordered by the column's position (a
// validated integer), so nothing the user typed is spliced anywhere new. The marker lets
// pages tell a sorted re-run from the query's own runs (it is never its "last result").
import type { ResultSort } from './schemas/queries'

export const SORTED_RUN_MARKER = '/* tessera: sorted re-run */'

export function sortedSql(compiledSql: string, sort: ResultSort): string {
  if (!Number.isInteger(sort.column) || sort.column < 1) throw new Error('sort column must be a position from 1')
  // a final ';' ends the user's statement and cannot stand inside the parentheses; a
  // trailing line comment is closed by the newline before ')'
  const inner = compiledSql.replace(/;\s*$/, '')
  return `${SORTED_RUN_MARKER} SELECT * FROM (\n${inner}\n) AS tessera_sorted ORDER BY ${sort.column} ${sort.direction === 'desc' ? 'DESC' : 'ASC'} NULLS LAST`
}

export function isSortedRunSql(sql: string | undefined | null): boolean {
  return !!sql?.startsWith(SORTED_RUN_MARKER)
}
