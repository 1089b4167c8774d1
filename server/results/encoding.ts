// One chunk on disk: its rows as text, compressed on its own. The text is a JSON array of
// row arrays, or, for rows that arrived as COPY text, a header line `COPY <kinds>` (one
// letter per column, server/results/copy-text.ts) followed by the COPY lines, each ending
// with its newline. A JSON chunk always starts with '[', so readers tell the two apart,
// and chunks written before COPY text existed stay readable. Compression: zstd level 1
// where the runtime has it (Node ≥ 22.15), because it costs less CPU than gzip level 1,
// writes fewer bytes and decompresses faster (BENCHMARKS.md, "Chunk
// compression"); gzip level 1 otherwise. Readers tell
// the two apart by their magic bytes. Rows arrive already encoded one by one, because
// the run counts their bytes against max bytes as it goes.
import { promisify } from 'node:util'
import zlib from 'node:zlib'
import type { EncodedRow, RowFormat } from '../connectors/types'
import { decodeCopyLines, kindLetters, kindsFromLetters } from './copy-text'

const gzipAsync = promisify(zlib.gzip)
const gunzipAsync = promisify(zlib.gunzip)
const zstdCompressAsync = zlib.zstdCompress ? promisify(zlib.zstdCompress) : undefined
const zstdDecompressAsync = zlib.zstdDecompress ? promisify(zlib.zstdDecompress) : undefined

const ZSTD_MAGIC = 0xFD2FB528
// output buffers sized so a whole chunk usually fits in one (zlib's default 16 KB buffers
// cost a main-thread callback each), but no larger: each compression allocates its
// buffer whole, and a worker writing many chunks holds several until the next GC
const COMPRESSED_BUFFER = 256 << 10
const DECOMPRESSED_BUFFER = 1 << 20

export const chunkContentEncoding = zstdCompressAsync ? 'zstd' : 'gzip'

const COPY_HEADER = 'COPY '

function chunkContent(encodedRows: EncodedRow[], format: RowFormat): string | Buffer {
  if (format.type === 'json') return `[${encodedRows.join(',')}]`
  // COPY lines keep their newlines: the chunk is the header line and the bytes as they came
  return Buffer.concat([Buffer.from(`${COPY_HEADER}${kindLetters(format.valueKinds)}\n`), ...encodedRows as Buffer[]])
}

export async function encodeChunk(encodedRows: EncodedRow[], format: RowFormat = { type: 'json' }): Promise<Buffer> {
  const content = chunkContent(encodedRows, format)
  if (zstdCompressAsync) return zstdCompressAsync(content, { chunkSize: COMPRESSED_BUFFER, params: { [zlib.constants.ZSTD_c_compressionLevel]: 1 } })
  return gzipAsync(content, { level: zlib.constants.Z_BEST_SPEED, chunkSize: COMPRESSED_BUFFER })
}

export async function decodeChunk(data: Uint8Array): Promise<unknown[][]> {
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  const isZstd = buffer.length >= 4 && buffer.readUInt32LE(0) === ZSTD_MAGIC
  if (isZstd && !zstdDecompressAsync) throw new Error('This result was compressed with zstd, which this Node.js version cannot read (use Node ≥ 22.15)')
  const decompressed = isZstd ? await zstdDecompressAsync!(buffer, { chunkSize: DECOMPRESSED_BUFFER }) : await gunzipAsync(buffer, { chunkSize: DECOMPRESSED_BUFFER })
  const text = decompressed.toString('utf8')
  if (!text.startsWith(COPY_HEADER)) return JSON.parse(text) as unknown[][]
  const lines = text.split('\n')
  // the last line's newline leaves an empty string behind
  lines.pop()
  return decodeCopyLines(lines.slice(1), kindsFromLetters(lines[0]!.slice(COPY_HEADER.length)))
}
