// Writes one run's rows as they stream in: every TESSERA_RESULT_CHUNK_ROWS rows become a
// chunk compressed on its own. Chunks go to Postgres, unless S3 is configured and the
// compressed size passes TESSERA_S3_THRESHOLD_BYTES: until then chunks wait in memory (at
// most the threshold), and once it is passed they and every later chunk go to S3. So a
// result is never held whole, and its storage is decided without knowing its size.
// The writer is the storing half of the run's pipeline: chunks compress (zlib's thread
// pool) and insert while the run reads the next rows, up to MAX_BYTES_IN_FLIGHT of row
// text not yet stored; past that, flush() waits, so a slow store slows the read down
// (backpressure) instead of holding more rows.
import { useConfig } from '../config'
import { results } from '../../db/schema'
import type { ResultColumn } from '../../db/schema'
import type { EncodedRow, RowFormat } from '../connectors/types'
import { useDb, usePool } from '../utils/db'
import { encodeChunk } from './encoding'
import { deletePrefix, objectPrefixFor, putChunk, s3Configured } from './s3'

const MAX_BYTES_IN_FLIGHT = 8 << 20

export interface StoredResult {
  chunkCount: number
  // compressed bytes stored
  storedBytes: number
  storage: 'postgres' | 's3'
}

export class ResultWriter {
  private readonly chunkRows = useConfig().TESSERA_RESULT_CHUNK_ROWS
  private readonly threshold = useConfig().TESSERA_S3_THRESHOLD_BYTES
  private readonly useS3 = s3Configured()
  private readonly objectPrefix: string
  private rows: EncodedRow[] = []
  private rowBytes = 0
  private rowFormat: RowFormat = { type: 'copy-text', valueKinds: [] }
  private chunkIndex = 0
  private storedBytes = 0
  private storage: 'postgres' | 's3' = 'postgres'
  // compressed chunks waiting for the storage decision (only when S3 is configured)
  private held: { index: number, data: Buffer }[] = []
  private chain: Promise<void> = Promise.resolve()
  private inFlight: { written: Promise<void>, bytes: number }[] = []
  private bytesInFlight = 0

  constructor(private readonly run: { id: string, orgId: string, attempts: number }) {
    this.objectPrefix = objectPrefixFor(run.orgId, run.id, run.attempts)
  }

  /** Forgets what an earlier attempt of this run may have left. */
  async start(): Promise<void> {
    await usePool().query('DELETE FROM result_chunks WHERE run_id = $1', [this.run.id])
    await usePool().query('DELETE FROM results WHERE run_id = $1', [this.run.id])
  }

  /** How the rows given to add() are encoded (the execution's format); set before the first add(). */
  setRowFormat(format: RowFormat): void {
    this.rowFormat = format
  }

  /** Adds one row, already encoded, of `bytes` bytes. Call flush() after each batch. */
  add(encodedRow: EncodedRow, bytes: number): void {
    this.rows.push(encodedRow)
    this.rowBytes += bytes
  }

  /** Starts writing the chunks that filled up; waits only while more than MAX_BYTES_IN_FLIGHT are not yet stored. */
  async flush(): Promise<void> {
    if (this.rows.length >= this.chunkRows) {
      // every full chunk at once; rows past the last full chunk stay for the next flush
      let start = 0
      for (; start + this.chunkRows <= this.rows.length; start += this.chunkRows) {
        const chunk = this.rows.slice(start, start + this.chunkRows)
        let bytes = 0
        for (const row of chunk) bytes += row.length
        this.startWrite(this.chunkIndex++, chunk, bytes)
      }
      this.rows = this.rows.slice(start)
      this.rowBytes = 0
      for (const row of this.rows) this.rowBytes += row.length
    }
    while (this.bytesInFlight > MAX_BYTES_IN_FLIGHT && this.inFlight.length > 0) {
      const oldest = this.inFlight.shift()!
      await oldest.written
    }
  }

  // Chunks compress in parallel (zlib's thread pool). Without S3 each is inserted as soon
  // as it is compressed, a few at once: inserting one after another left the run waiting
  // on single inserts. With S3 they are stored in order, which the storage decision
  // (threshold passed or not) relies on. `chain` settles once every write so far has.
  private startWrite(index: number, rows: EncodedRow[], bytes: number): void {
    const compressed = encodeChunk(rows, this.rowFormat)
    compressed.catch(() => {})
    const written = this.useS3
      ? this.chain.then(async () => this.storeChunk(index, await compressed))
      : compressed.then(data => this.storeChunk(index, data))
    // a failed write surfaces at the next await of the chain, not as an unhandled rejection
    written.catch(() => {})
    this.chain = this.useS3 ? written : Promise.all([this.chain, written]).then(() => {})
    this.chain.catch(() => {})
    const entry = { written, bytes }
    this.bytesInFlight += bytes
    void written.finally(() => { this.bytesInFlight -= bytes }).catch(() => {})
    this.inFlight.push(entry)
  }

  /** Waits until every chunk started so far is stored (for a comparison without overlap). */
  async drain(): Promise<void> {
    await this.chain
  }

  async finish(values: { columns: ResultColumn[], rowCount: number, byteCount: number, truncated: boolean }): Promise<StoredResult> {
    if (this.rows.length > 0) this.startWrite(this.chunkIndex++, this.rows, this.rowBytes)
    this.rows = []
    this.inFlight = []
    await this.chain
    for (const chunk of this.held) await this.insertChunk(chunk.index, chunk.data)
    this.held = []
    const ttlHours = useConfig().TESSERA_RESULT_TTL_HOURS
    await useDb().insert(results).values({
      runId: this.run.id,
      orgId: this.run.orgId,
      columns: values.columns,
      rowCount: values.rowCount,
      byteCount: this.storedBytes,
      chunkRows: this.chunkRows,
      chunkCount: this.chunkIndex,
      truncated: values.truncated,
      storage: this.storage,
      objectPrefix: this.storage === 's3' ? this.objectPrefix : null,
      expiresAt: new Date(Date.now() + ttlHours * 3_600_000),
    })
    return { chunkCount: this.chunkIndex, storedBytes: this.storedBytes, storage: this.storage }
  }

  /** Removes whatever was written (the run failed or was canceled). */
  async discard(): Promise<void> {
    await this.chain.catch(() => {})
    this.inFlight = []
    this.rows = []
    this.held = []
    await usePool().query('DELETE FROM result_chunks WHERE run_id = $1', [this.run.id])
    if (this.storage === 's3') await deletePrefix(this.objectPrefix)
  }

  private async storeChunk(index: number, data: Buffer): Promise<void> {
    this.storedBytes += data.length
    if (!this.useS3) return this.insertChunk(index, data)
    if (this.storage === 's3') return putChunk(this.objectPrefix, index, data)
    this.held.push({ index, data })
    if (this.storedBytes <= this.threshold) return
    this.storage = 's3'
    for (const chunk of this.held) await putChunk(this.objectPrefix, chunk.index, chunk.data)
    this.held = []
  }

  private async insertChunk(index: number, data: Buffer): Promise<void> {
    await usePool().query('INSERT INTO result_chunks (run_id, chunk_index, data) VALUES ($1, $2, $3)', [this.run.id, index, data])
  }
}
