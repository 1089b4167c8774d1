// Writes one run's rows as they stream in: every TESSERA_RESULT_CHUNK_ROWS rows become a
// chunk compressed on its own. Chunks go to Postgres, unless S3 is configured and the
// compressed size passes TESSERA_S3_THRESHOLD_BYTES: until then chunks wait in memory (at
// most the threshold), and once it is passed they and every later chunk go to S3. So a
// result is never held whole, and its storage is decided without knowing its size.
// The writer is the storing half of the run's pipeline: chunks compress (in zlib's
// thread pool, or in place on a two-core machine: encoding.ts) and insert while the run
// reads the next rows, up to MAX_BYTES_IN_FLIGHT of row text not yet stored; past that,
// flush() waits, so a slow store slows the read down (backpressure) instead of holding
// more rows. Each row is copied into its chunk's text as it is added (a reused buffer,
// chunk-buffers.ts), so the connector's buffers are never held past their batch.
import { useConfig } from '../config'
import { results } from '../../db/schema'
import type { ResultColumn } from '../../db/schema'
import type { RowBlock, RowFormat } from '../connectors/types'
import { useDb, usePool } from '../utils/db'
import { returnChunkBuffer, takeChunkBuffer } from './chunk-buffers'
import { chunkHeader, compressChunk } from './encoding'
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
  private header = chunkHeader({ type: 'copy-text', valueKinds: [] })
  // the chunk being filled: its text (header, then rows) in a reused buffer
  private text: Buffer | undefined
  private textBytes = 0
  private textRows = 0
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

  /** How the rows given to addRows() are encoded (the execution's format); set before the first rows. */
  setRowFormat(format: RowFormat): void {
    this.header = chunkHeader(format)
  }

  /**
   * Adds the first `count` rows of a block (copied: the block may be a view of a buffer
   * its connector reuses). Each chunk that fills starts its write; call flush() after
   * each batch.
   */
  addRows(block: RowBlock, count = block.ends.length): void {
    let row = 0
    let from = 0
    while (row < count) {
      // as many rows as fit in the chunk being filled, copied at once
      const taken = Math.min(count - row, this.chunkRows - this.textRows)
      const to = block.ends[row + taken - 1]!
      this.append(block.bytes, from, to)
      this.textRows += taken
      row += taken
      from = to
      if (this.textRows === this.chunkRows) this.writeFilledChunk()
    }
  }

  private append(bytes: Buffer, from: number, to: number): void {
    if (!this.text) {
      this.text = takeChunkBuffer()
      this.textBytes = this.header.copy(this.text, 0)
    }
    if (this.textBytes + to - from > this.text.length) {
      const larger = takeChunkBuffer(Math.max(2 * this.text.length, this.textBytes + to - from))
      this.text.copy(larger, 0, 0, this.textBytes)
      returnChunkBuffer(this.text)
      this.text = larger
    }
    this.textBytes += bytes.copy(this.text, this.textBytes, from, to)
  }

  private writeFilledChunk(): void {
    this.startWrite(this.chunkIndex++, this.text!, this.textBytes)
    this.text = undefined
    this.textRows = 0
  }

  /** Waits only while more than MAX_BYTES_IN_FLIGHT of chunk text is not yet stored. */
  async flush(): Promise<void> {
    while (this.bytesInFlight > MAX_BYTES_IN_FLIGHT && this.inFlight.length > 0) {
      const oldest = this.inFlight.shift()!
      await oldest.written
    }
  }

  // Chunks compress in parallel where there are cores for it (encoding.ts). Without S3
  // each is inserted as soon as it is compressed, a few at once: inserting one after
  // another left the run waiting on single inserts. With S3 they are stored in order,
  // which the storage decision (threshold passed or not) relies on. `chain` settles once
  // every write so far has.
  private startWrite(index: number, text: Buffer, bytes: number): void {
    const compressed = compressChunk(text.subarray(0, bytes))
    // the text is read until the compression settles, then reused
    compressed.then(() => returnChunkBuffer(text), () => returnChunkBuffer(text))
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
    if (this.text) this.writeFilledChunk()
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
    if (this.text) returnChunkBuffer(this.text)
    this.text = undefined
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
