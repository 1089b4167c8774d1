// One chunk on disk: its rows as text, compressed on its own. The text is a header line
// `COPY <kinds>` (one letter per column, server/results/copy-text.ts) followed by the
// rows as COPY text lines, each ending with its newline, whichever path read them.
// Chunks written by earlier versions for runs with bound parameters hold a JSON array of
// row arrays instead: such a chunk always starts with '[', and stays readable.
// Compression: zstd level 1 where the runtime has it (Node ≥ 22.15), because it costs
// less CPU than gzip level 1, writes fewer bytes and decompresses faster (BENCHMARKS.md,
// "Chunk compression"); gzip level 1 otherwise. Readers tell the two apart by their
// magic bytes.
// A chunk is opened once (decompressed, its line starts indexed) and its rows decoded
// only where a page asks for them, so a 1,000-row page of a 5,000-row chunk decodes
// 1,000 rows, and an opened chunk can be cached for the next page (read.ts).
import { availableParallelism } from 'node:os'
import { promisify } from 'node:util'
import zlib from 'node:zlib'
import type { RowFormat, ValueKind } from '../connectors/types'
import { decodeCopyLines, kindLetters, kindsFromLetters } from './copy-text'

const gzipAsync = promisify(zlib.gzip)
const gunzipAsync = promisify(zlib.gunzip)
const zstdCompressAsync = zlib.zstdCompress ? promisify(zlib.zstdCompress) : undefined
const zstdDecompressAsync = zlib.zstdDecompress ? promisify(zlib.zstdDecompress) : undefined

const ZSTD_MAGIC = 0xFD2FB528
// output buffers sized so a typical compressed chunk (20 to 60 KB) fits in one (zlib's
// default 16 KB buffers cost a main-thread callback each), but no larger: each
// compression allocates its buffer whole, and the stored chunk is a view that keeps all
// of it until the next GC, so 256 KB buffers left a worker holding four times the bytes
const COMPRESSED_BUFFER = 64 << 10
const DECOMPRESSED_BUFFER = 1 << 20

export const chunkContentEncoding = zstdCompressAsync ? 'zstd' : 'gzip'

// Where chunks compress and decompress: in place, on the calling thread, when the
// machine has two cores or fewer; in zlib's thread pool otherwise. On two cores the
// datasource's backend and the worker's main thread already keep both busy during a
// large run, so the pool has no idle core to run on, and its hand-offs cost about 40%
// more CPU per chunk than compressing in place (a 1M-row run took about a fifth longer;
// BENCHMARKS.md, "Engine: reading the figures"); a page read waits for the hand-off too.
// With more cores the pool compresses while the run reads on. Big chunks (long rows)
// always go to the pool: in place they would hold up the process's event loop (a
// worker's heartbeats, a web process's other requests) for their whole time.
const IN_PLACE = availableParallelism() <= 2
const MAX_IN_PLACE_TEXT_BYTES = 4 << 20
const MAX_IN_PLACE_COMPRESSED_BYTES = 512 << 10

const COPY_HEADER = 'COPY '

/** The first line of a chunk's text; the rows follow as COPY lines with their newlines, as they came. */
export function chunkHeader(format: RowFormat): Buffer {
  return Buffer.from(`${COPY_HEADER}${kindLetters(format.valueKinds)}\n`)
}

/** Compresses a chunk's text (its header and rows); `content` must not change until this settles. */
export async function compressChunk(content: Buffer): Promise<Buffer> {
  const options = zstdCompressAsync
    ? { chunkSize: COMPRESSED_BUFFER, params: { [zlib.constants.ZSTD_c_compressionLevel]: 1 } }
    : { chunkSize: COMPRESSED_BUFFER, level: zlib.constants.Z_BEST_SPEED }
  if (IN_PLACE && content.length <= MAX_IN_PLACE_TEXT_BYTES) return zstdCompressAsync ? zlib.zstdCompressSync(content, options) : zlib.gzipSync(content, options)
  return zstdCompressAsync ? zstdCompressAsync(content, options) : gzipAsync(content, options)
}

/** A whole chunk from its lines (COPY text, newlines included) at once. */
export function encodeChunk(lines: Buffer[], format: RowFormat): Promise<Buffer> {
  return compressChunk(Buffer.concat([chunkHeader(format), ...lines]))
}

/** A chunk opened for reading: rows decoded on demand. */
export interface OpenedChunk {
  rowCount: number
  // decompressed bytes held (what a cache of opened chunks counts)
  heldBytes: number
  /**
   * Rows [from, to) as values, ending early once their text passes `maxBytes` (at least
   * one row is always given, so paging moves on).
   */
  rows(from: number, to: number, maxBytes?: number): unknown[][]
}

const NEWLINE = 0x0A

class CopyTextChunk implements OpenedChunk {
  readonly rowCount: number
  readonly heldBytes: number
  private readonly kinds: ValueKind[]
  // lineStarts[i] is where row i starts; lineStarts[rowCount] is the end of the text
  private readonly lineStarts: Int32Array

  constructor(private readonly text: Buffer) {
    this.heldBytes = text.length
    const headerEnd = text.indexOf(NEWLINE)
    this.kinds = kindsFromLetters(text.toString('latin1', COPY_HEADER.length, headerEnd))
    const starts: number[] = []
    for (let start = headerEnd + 1; start < text.length;) {
      starts.push(start)
      const newline = text.indexOf(NEWLINE, start)
      start = newline === -1 ? text.length : newline + 1
    }
    starts.push(text.length)
    this.lineStarts = Int32Array.from(starts)
    this.rowCount = starts.length - 1
  }

  rows(from: number, to: number, maxBytes = Infinity): unknown[][] {
    const last = Math.min(to, this.rowCount)
    let end = from
    while (end < last && (end === from || this.lineStarts[end + 1]! - this.lineStarts[from]! <= maxBytes)) end++
    if (end <= from) return []
    // one UTF-8 decode for the whole range, newlines dropped by the split
    const text = this.text.toString('utf8', this.lineStarts[from]!, this.lineStarts[end]! - 1)
    return decodeCopyLines(text.split('\n'), this.kinds)
  }
}

/** A chunk written as JSON by an earlier version (runs with bound parameters). */
class LegacyJsonChunk implements OpenedChunk {
  readonly rowCount: number
  constructor(private readonly parsed: unknown[][], readonly heldBytes: number) {
    this.rowCount = parsed.length
  }

  rows(from: number, to: number, maxBytes = Infinity): unknown[][] {
    const rows: unknown[][] = []
    let bytes = 0
    for (let index = from; index < Math.min(to, this.rowCount); index++) {
      const row = this.parsed[index]!
      if (maxBytes !== Infinity) bytes += JSON.stringify(row).length
      if (rows.length > 0 && bytes > maxBytes) break
      rows.push(row)
    }
    return rows
  }
}

async function decompress(data: Uint8Array): Promise<Buffer> {
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  const isZstd = buffer.length >= 4 && buffer.readUInt32LE(0) === ZSTD_MAGIC
  if (isZstd && !zstdDecompressAsync) throw new Error('This result was compressed with zstd, which this Node.js version cannot read (use Node ≥ 22.15)')
  const options = { chunkSize: DECOMPRESSED_BUFFER }
  if (IN_PLACE && buffer.length <= MAX_IN_PLACE_COMPRESSED_BYTES) return isZstd ? zlib.zstdDecompressSync(buffer, options) : zlib.gunzipSync(buffer, options)
  return isZstd ? zstdDecompressAsync!(buffer, options) : gunzipAsync(buffer, options)
}

export async function openChunk(data: Uint8Array): Promise<OpenedChunk> {
  const text = await decompress(data)
  if (text.toString('latin1', 0, COPY_HEADER.length) === COPY_HEADER) return new CopyTextChunk(text)
  return new LegacyJsonChunk(JSON.parse(text.toString('utf8')) as unknown[][], text.length)
}

/** Every row of a chunk. */
export async function decodeChunk(data: Uint8Array): Promise<unknown[][]> {
  const chunk = await openChunk(data)
  return chunk.rows(0, chunk.rowCount)
}
