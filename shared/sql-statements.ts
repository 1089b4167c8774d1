// Splits SQL text into its statements at the semicolons Postgres would split it at: not
// inside string literals, quoted identifiers, dollar-quoted bodies or comments (the
// parameter lexer's rules, shared/parameters/sql-tokens.ts). A run or an estimate may hold
// exactly one statement; this is how that is known before anything is sent.
import { opaqueEnd } from './parameters/sql-tokens'

export interface SqlStatement {
  // the statement's text, without the semicolon that ends it
  text: string
  // where it starts in the whole SQL (0-based)
  offset: number
}

/** True when the text holds nothing but whitespace and comments. */
export function isBlankSql(text: string): boolean {
  let index = 0
  while (index < text.length) {
    if (/\s/.test(text[index]!)) { index++; continue }
    const end = opaqueEnd(text, index)
    const isComment = text.startsWith('--', index) || text.startsWith('/*', index)
    if (end === -1 || !isComment) return false
    index = end
  }
  return true
}

/** The statements of `sql`, blank ones (whitespace, comments, stray semicolons) left out. */
export function splitSqlStatements(sql: string): SqlStatement[] {
  const statements: SqlStatement[] = []
  let start = 0
  let index = 0
  const close = (end: number) => {
    const text = sql.slice(start, end)
    if (!isBlankSql(text)) statements.push({ text, offset: start })
  }
  while (index < sql.length) {
    const end = opaqueEnd(sql, index)
    if (end !== -1) {
      index = end
      continue
    }
    if (sql[index] === ';') {
      close(index)
      start = index + 1
    }
    index++
  }
  close(sql.length)
  return statements
}
