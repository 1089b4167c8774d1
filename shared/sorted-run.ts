// A sorted re-run of a query: the whole result ordered by one column, done by Postgres on
// the worker. The query is wrapped as a subquery and ordered by the column's position (a
// validated integer), so nothing the user typed is spliced anywhere new. The marker lets
// pages tell a sorted re-run from the query's own runs (it is never its "last result").
import { opaqueEnd } from './parameters/sql-tokens'
import type { ResultSort } from './schemas/queries'

export const SORTED_RUN_MARKER = '/* tessera: sorted re-run */'

export function sortedSql(compiledSql: string, sort: ResultSort): string {
  if (!Number.isInteger(sort.column) || sort.column < 1) throw new Error('sort column must be a position from 1')
  // a trailing line comment is closed by the newline before ')'
  const inner = withoutFinalSemicolon(compiledSql)
  return `${SORTED_RUN_MARKER} SELECT * FROM (\n${inner}\n) AS tessera_sorted ORDER BY ${sort.column} ${sort.direction === 'desc' ? 'DESC' : 'ASC'} NULLS LAST`
}

export function isSortedRunSql(sql: string | undefined | null): boolean {
  return !!sql?.startsWith(SORTED_RUN_MARKER)
}

/**
 * The statement without its final ';' (which cannot stand inside parentheses), found as
 * the last character of code: a ';' inside a string, a quoted name, a dollar-quoted body
 * or a comment after it (`SELECT 1; -- done`) is not the end of the statement.
 */
export function withoutFinalSemicolon(statement: string): string {
  let lastCode = -1
  for (let index = 0; index < statement.length;) {
    const end = opaqueEnd(statement, index)
    if (end !== -1) {
      const comment = statement.startsWith('--', index) || statement.startsWith('/*', index)
      if (!comment) lastCode = end - 1
      index = end
      continue
    }
    if (!/\s/.test(statement[index]!)) lastCode = index
    index++
  }
  return lastCode >= 0 && statement[lastCode] === ';' ? statement.slice(0, lastCode) + statement.slice(lastCode + 1) : statement
}
