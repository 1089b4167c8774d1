// Rows stored as Postgres COPY text lines, read back into the values the JSON path gives
// (docs/ARCHITECTURE.md): JSON numbers for integer and float kinds (NaN and ±Infinity stay strings),
// booleans, null, and Postgres's own text for everything else. COPY prints every value
// with its type's output function, as psql does; the only differences are its escapes,
// which are undone here. Storing the lines as they arrive, instead of re-encoding each
// value as JSON, is most of what makes a large parameterless run cheap.
import type { ValueKind } from '../connectors/types'
import { valueFromText } from '../connectors/values'

// COPY TO writes only these escapes (copyto.c, CopyAttributeOutText): a backslash, and
// the control characters that would break a line or a field
const ESCAPED: Record<string, string> = { 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t', 'v': '\v', '\\': '\\' }
const ESCAPE = /\\(.)/g
const NULL_FIELD = '\\N'

export function unescapeCopyText(field: string): string {
  return field.replace(ESCAPE, (_, character: string) => ESCAPED[character] ?? character)
}

function valueOf(field: string, kind: ValueKind | undefined): unknown {
  if (field === NULL_FIELD) return null
  return valueFromText(field.includes('\\') ? unescapeCopyText(field) : field, kind)
}

/** Decodes COPY text lines (without their newlines) into rows of values. */
export function decodeCopyLines(lines: readonly string[], kinds: readonly ValueKind[]): unknown[][] {
  const rows = new Array<unknown[]>(lines.length)
  for (let row = 0; row < lines.length; row++) {
    const line = lines[row]!
    const fields: unknown[] = line.split('\t')
    // most lines hold no backslash, so no NULL (\N) and no escape: each field is its own
    // text, and text fields are already their value
    const plain = !line.includes('\\')
    for (let index = 0; index < fields.length; index++) {
      const kind = kinds[index]
      if (!plain) fields[index] = valueOf(fields[index] as string, kind)
      else if (kind !== 'text' && kind !== undefined) fields[index] = valueFromText(fields[index] as string, kind)
    }
    rows[row] = fields
  }
  return rows
}

// one letter per kind in a stored chunk's header
const KIND_LETTERS: Record<ValueKind, string> = { integer: 'i', float: 'f', boolean: 'b', text: 't' }
const KINDS_BY_LETTER = Object.fromEntries(Object.entries(KIND_LETTERS).map(([kind, letter]) => [letter, kind])) as Record<string, ValueKind>

export function kindLetters(kinds: readonly ValueKind[]): string {
  return kinds.map(kind => KIND_LETTERS[kind]).join('')
}

export function kindsFromLetters(letters: string): ValueKind[] {
  return [...letters].map(letter => KINDS_BY_LETTER[letter] ?? 'text')
}
