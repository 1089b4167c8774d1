// Writes one run's rows as they stream in: every TESSERA_RESULT_CHUNK_ROWS rows become a
// chunk compressed on its own. Chunks go to Postgres, unless S3 is configured and the
// compressed size passes TESSERA_S3_THRESHOLD_BYTES: until then chunks wait in memory (at
// most the threshold), and once it is passed they and every later chunk go to S3. So a
// result is never held whole, and its storage is decided without knowing its size.
// A few chunk writes are in flight while the next rows are fetched.
import { useConfig } from '../config'
import { results } from '../../db/schema'
import type { ResultColumn } from '../../db/schema'
import type { EncodedRow, RowFormat } from '../connectors/types'
import { useDb, usePool } from '../utils/db'
import { encodeChunk } from './encoding'
import { deletePrefix, objectPrefixFor, putChunk, s3Configured } from './s3'

const MAX_WRITES_IN_FLIGHT = 3

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
  private rowFormat: RowFormat = { type: 'json' }
  private chunkIndex = 0
  private storedBytes = 0
  private storage: 'postgres' | 's3' = 'postgres'
  // compressed chunks waiting for the storage decision (only when S3 is configured)
  private held: { index: number, data: Buffer }[] = []
  private chain: Promise<void> = Promise.resolve()
  private inFlight: Promise<void>[] = []

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

  /** Adds one row, already encoded. Call flush() after each batch. */
  add(encodedRow: EncodedRow): void {
    this.rows.push(encodedRow)
  }

  /** Starts writing the chunks that filled up; waits while MAX_WRITES_IN_FLIGHT are pending. */
  async flush(): Promise<void> {
    while (this.rows.length >= this.chunkRows) {
      const chunk = this.rows.slice(0, this.chunkRows)
      this.rows = this.rows.slice(this.chunkRows)
      this.startWrite(this.chunkIndex++, chunk)
      if (this.inFlight.length >= MAX_WRITES_IN_FLIGHT) await this.inFlight.shift()
    }
  }

  // Chunks compress in parallel (zlib's thread pool). Without S3 each is inserted as soon
  // as it is compressed, a few at once: inserting one after another left the run waiting
  // on single inserts. With S3 they are stored in order, which the storage decision
  // (threshold passed or not) relies on. `chain` settles once every write so far has.
  private startWrite(index: number, rows: EncodedRow[]): void {
    const compressed = encodeChunk(rows, this.rowFormat)
    compressed.catch(() => {})
    const written = this.useS3
      ? this.chain.then(async () => this.storeChunk(index, await compressed))
      : compressed.then(data => this.storeChunk(index, data))
    // a failed write surfaces at the next await of the chain, not as an unhandled rejection
    written.catch(() => {})
    this.chain = this.useS3 ? written : Promise.all([this.chain, written]).then(() => {})
    this.chain.catch(() => {})
    this.inFlight.push(written)
  }

  async finish(values: { columns: ResultColumn[], rowCount: number, byteCount: number, truncated: boolean }): Promise<StoredResult> {
    if (this.rows.length > 0) this.startWrite(this.chunkIndex++, this.rows)
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
