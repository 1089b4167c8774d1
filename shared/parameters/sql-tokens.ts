// A small SQL lexer for the parameter compiler: it finds {{placeholders}}, [[ optional
// blocks ]] and stray $n markers in SQL *code*, and leaves everything inside string
// literals ('...', E'...'), quoted identifiers ("..."), dollar-quoted bodies
// ($tag$...$tag$) and comments (-- and nested /* */) untouched.

export type SqlToken =
  | { kind: 'text', text: string, offset: number }
  | { kind: 'placeholder', name: string, part?: string, text: string, offset: number }
  | { kind: 'open', offset: number }
  | { kind: 'close', offset: number }
  | { kind: 'positional', text: string, offset: number }

const identifierChar = /[A-Za-z0-9_$]/
const placeholderPattern = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)(?:\.([A-Za-z_]+))?\s*\}\}/

/** End index (exclusive) of the quoted/commented region starting at `start`, or -1 when none starts there. */
export function opaqueEnd(sql: string, start: number): number {
  const char = sql[start]!
  const next = sql[start + 1]
  if (char === '-' && next === '-') {
    const newline = sql.indexOf('\n', start)
    return newline === -1 ? sql.length : newline
  }
  if (char === '/' && next === '*') {
    let depth = 1
    let index = start + 2
    while (index < sql.length && depth > 0) {
      if (sql.startsWith('/*', index)) { depth++; index += 2 }
      else if (sql.startsWith('*/', index)) { depth--; index += 2 }
      else index++
    }
    return index
  }
  if (char === '\'') {
    const previous = sql[start - 1]
    // E'...' strings take backslash escapes; standard strings only ''
    const backslashEscapes = (previous === 'E' || previous === 'e') && !identifierChar.test(sql[start - 2] ?? ' ')
    let index = start + 1
    while (index < sql.length) {
      if (backslashEscapes && sql[index] === '\\') { index += 2; continue }
      if (sql[index] === '\'') {
        if (sql[index + 1] === '\'') { index += 2; continue }
        return index + 1
      }
      index++
    }
    return sql.length
  }
  if (char === '"') {
    let index = start + 1
    while (index < sql.length) {
      if (sql[index] === '"') {
        if (sql[index + 1] === '"') { index += 2; continue }
        return index + 1
      }
      index++
    }
    return sql.length
  }
  if (char === '$' && !identifierChar.test(sql[start - 1] ?? ' ')) {
    const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(start, start + 200))
    if (!tag) return -1
    const close = sql.indexOf(tag[0], start + tag[0].length)
    return close === -1 ? sql.length : close + tag[0].length
  }
  return -1
}

export function tokenizeSql(sql: string): SqlToken[] {
  const tokens: SqlToken[] = []
  let text = ''
  let textStart = 0
  const flush = () => {
    if (text) tokens.push({ kind: 'text', text, offset: textStart })
    text = ''
  }
  let index = 0
  while (index < sql.length) {
    const end = opaqueEnd(sql, index)
    if (end !== -1) {
      if (!text) textStart = index
      text += sql.slice(index, end)
      index = end
      continue
    }
    if (sql.startsWith('{{', index)) {
      const match = placeholderPattern.exec(sql.slice(index, index + 200))
      if (match) {
        flush()
        tokens.push({ kind: 'placeholder', name: match[1]!, part: match[2], text: match[0], offset: index })
        index += match[0].length
        continue
      }
    }
    if (sql.startsWith('[[', index)) {
      flush()
      tokens.push({ kind: 'open', offset: index })
      index += 2
      continue
    }
    if (sql.startsWith(']]', index)) {
      flush()
      tokens.push({ kind: 'close', offset: index })
      index += 2
      continue
    }
    const positional = sql[index] === '$' && !identifierChar.test(sql[index - 1] ?? ' ') ? /^\$\d+/.exec(sql.slice(index, index + 20)) : null
    if (positional) {
      flush()
      tokens.push({ kind: 'positional', text: positional[0], offset: index })
      index += positional[0].length
      continue
    }
    if (!text) textStart = index
    text += sql[index]
    index++
  }
  flush()
  return tokens
}
