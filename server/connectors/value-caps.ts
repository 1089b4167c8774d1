// The per-value and per-row size caps of a run's rows. A value longer than its cap is
// cut (at a UTF-8 character boundary) and ends with a note saying what happened, so one
// huge value can neither hold a worker's memory nor make one result page hundreds of
// megabytes, and a reader sees at once that the text is not whole. Both connectors'
// row readers (COPY lines and DataRow messages) apply the same caps with this module.

export interface ValueCaps {
  // most bytes of one value's text kept
  maxValueBytes: number
  // most bytes of one row's values kept; later values of a long row get what is left
  maxRowBytes: number
}

// the defaults of TESSERA_MAX_VALUE_BYTES and TESSERA_MAX_ROW_BYTES
export const DEFAULT_VALUE_CAPS: ValueCaps = { maxValueBytes: 1 << 20, maxRowBytes: 4 << 20 }

/** The note that ends a cut value; plain ASCII without tabs, newlines or backslashes (safe in COPY text). */
export function truncationNote(originalBytes: number, keptBytes: number): Buffer {
  return Buffer.from(` [value truncated by Tessera: ${originalBytes.toLocaleString('en-US')} bytes, the first ${keptBytes.toLocaleString('en-US')} kept]`)
}

/** The longest prefix of `bytes[start, start + length)` no longer than `limit` that ends on a UTF-8 character boundary. */
export function utf8PrefixLength(bytes: Uint8Array, start: number, length: number, limit: number): number {
  if (length <= limit) return length
  let cut = Math.max(0, limit)
  // a continuation byte (10xxxxxx) cannot start a character: step back to the lead byte
  while (cut > 0 && (bytes[start + cut]! & 0xC0) === 0x80) cut--
  return cut
}

const TAB = 0x09
const NEWLINE = 0x0A
const BACKSLASH = 0x5C

/** Like utf8PrefixLength, for COPY text: never ends inside a backslash escape either. */
function copyTextPrefixLength(bytes: Buffer, limit: number): number {
  let cut = utf8PrefixLength(bytes, 0, bytes.length, limit)
  let backslashes = 0
  while (backslashes < cut && bytes[cut - 1 - backslashes] === BACKSLASH) backslashes++
  if (backslashes % 2 === 1) cut--
  return cut
}

/**
 * One COPY text line given in pieces (a line cut by socket reads, or a line too long to
 * keep whole), with the caps applied as the pieces arrive: at most the kept bytes of each
 * value are held, so a line of any length costs time in proportion to its length and
 * memory in proportion to the caps.
 */
export class CappedCopyLine {
  private readonly values: Buffer[] = []
  private pieces: Buffer[] = []
  private keptBytes = 0
  private valueBytes = 0
  private rowBytes = 0

  constructor(private readonly caps: ValueCaps) {}

  /** Adds bytes of the line (no newline among them; tabs separate values). */
  append(bytes: Buffer): void {
    let start = 0
    for (let tab = bytes.indexOf(TAB); tab !== -1; start = tab + 1, tab = bytes.indexOf(TAB, start)) {
      this.addToValue(bytes.subarray(start, tab))
      this.endValue()
    }
    this.addToValue(bytes.subarray(start))
  }

  /** The whole line, with its newline. */
  finish(): Buffer {
    this.endValue()
    const parts: Buffer[] = []
    for (const value of this.values) parts.push(value, TAB_BYTES)
    // the last value ends with the newline instead of a tab
    parts[parts.length - 1] = NEWLINE_BYTES
    return Buffer.concat(parts)
  }

  private limit(): number {
    return Math.max(0, Math.min(this.caps.maxValueBytes, this.caps.maxRowBytes - this.rowBytes))
  }

  private addToValue(bytes: Buffer): void {
    this.valueBytes += bytes.length
    const room = this.limit() + 4 - this.keptBytes
    // a few bytes past the limit, so the cut below can find a character boundary; copied,
    // so a kept piece never holds a whole socket read alive
    if (room > 0 && bytes.length > 0) {
      const kept = Buffer.from(bytes.subarray(0, room))
      this.pieces.push(kept)
      this.keptBytes += kept.length
    }
  }

  private endValue(): void {
    const value = Buffer.concat(this.pieces)
    const limit = this.limit()
    const isNull = this.valueBytes === 2 && value[0] === BACKSLASH && value[1] === 0x4E
    if (isNull) {
      // a NULL takes no room in the row, as in a DataRow message
      this.values.push(value)
    }
    else if (this.valueBytes <= limit) {
      this.values.push(value)
      this.rowBytes += value.length
    }
    else {
      const kept = copyTextPrefixLength(value, limit)
      this.values.push(Buffer.concat([value.subarray(0, kept), truncationNote(this.valueBytes, kept)]))
      this.rowBytes += kept
    }
    this.pieces = []
    this.keptBytes = 0
    this.valueBytes = 0
  }
}

const TAB_BYTES = Buffer.from([TAB])
const NEWLINE_BYTES = Buffer.from([NEWLINE])
