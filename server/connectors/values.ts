// How a value's text becomes its JSON value (docs/ARCHITECTURE.md), the same for rows read through a
// cursor and rows stored as COPY text: JSON numbers for integer and float kinds (NaN and
// ±Infinity have no JSON number and keep Postgres's spelling), booleans, and the text
// itself for everything else, so nothing is rounded or re-formatted.
import type { ValueKind } from './types'

function floatValue(text: string): number | string {
  const value = Number(text)
  return Number.isFinite(value) ? value : text
}

export function valueFromText(text: string, kind: ValueKind | undefined): unknown {
  if (kind === 'integer') return Number.parseInt(text, 10)
  if (kind === 'float') return floatValue(text)
  if (kind === 'boolean') return text === 't'
  return text
}
