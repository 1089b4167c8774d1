// One chunk on disk: a JSON array of row arrays, gzip-compressed on its own (level 1:
// JSON of query results compresses several-fold even at the fastest level, and storing
// must keep up with Postgres streaming rows). Rows arrive already JSON-encoded one by one,
// because the run counts their bytes against max bytes as it goes.
import { promisify } from 'node:util'
import { constants, gunzip, gzip } from 'node:zlib'

const gzipAsync = promisify(gzip)
const gunzipAsync = promisify(gunzip)

export async function encodeChunk(encodedRows: string[]): Promise<Buffer> {
  // one output buffer for the whole chunk: zlib's default 16 KB buffers cost a main-thread callback each
  return gzipAsync(`[${encodedRows.join(',')}]`, { level: constants.Z_BEST_SPEED, chunkSize: 1 << 20 })
}

export async function decodeChunk(data: Uint8Array): Promise<unknown[][]> {
  return JSON.parse((await gunzipAsync(data)).toString('utf8')) as unknown[][]
}
