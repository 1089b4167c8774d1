// Writes one run's rows as they stream in: every TESSERA_RESULT_CHUNK_ROWS rows become a
// chunk compressed on its own. Chunks go to Postgres, unless S3 is configured and the
// compressed size passes TESSERA_S3_THRESHOLD_BYTES: until then chunks wait in memory (at
// most the threshold), and once it is passed they and every later chunk go to S3. So a
// result is never held whole, and its storage is decided without knowing its size.
// At most one chunk write is in flight while the next rows are fetched.
import { useConfig } from '../config'
import { results } from '../../db/schema'
import type { ResultColumn } from '../../db/schema'
import { useDb, usePool } from '../utils/db'
import { encodeChunk } from './encoding'
import { deletePrefix, objectPrefixFor, putChunk, s3Configured } from './s3'

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
  private rows: string[] = []
  private chunkIndex = 0
  private storedBytes = 0
  private storage: 'postgres' | 's3' = 'postgres'
  // compressed chunks waiting for the storage decision (only when S3 is configured)
  private held: { index: number, data: Buffer }[] = []
  private inFlight: Promise<void> = Promise.resolve()

  constructor(private readonly run: { id: string, orgId: string, attempts: number }) {
    this.objectPrefix = objectPrefixFor(run.orgId, run.id, run.attempts)
  }

  /** Forgets what an earlier attempt of this run may have left. */
  async start(): Promise<void> {
    await usePool().query('DELETE FROM result_chunks WHERE run_id = $1', [this.run.id])
    await usePool().query('DELETE FROM results WHERE run_id = $1', [this.run.id])
  }

  /** Adds one row, already JSON-encoded. Call flush() after each batch. */
  add(encodedRow: string): void {
    this.rows.push(encodedRow)
  }

  /** Starts writing the chunk that just filled up, after the previous write finished. */
  async flush(): Promise<void> {
    while (this.rows.length >= this.chunkRows) {
      const chunk = this.rows.slice(0, this.chunkRows)
      this.rows = this.rows.slice(this.chunkRows)
      await this.inFlight
      this.inFlight = this.writeChunk(this.chunkIndex++, chunk)
      // a failed write must surface at the next await, not as an unhandled rejection
      this.inFlight.catch(() => {})
    }
  }

  async finish(values: { columns: ResultColumn[], rowCount: number, byteCount: number, truncated: boolean }): Promise<StoredResult> {
    await this.inFlight
    if (this.rows.length > 0) await this.writeChunk(this.chunkIndex++, this.rows)
    this.rows = []
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
    await this.inFlight.catch(() => {})
    this.rows = []
    this.held = []
    await usePool().query('DELETE FROM result_chunks WHERE run_id = $1', [this.run.id])
    if (this.storage === 's3') await deletePrefix(this.objectPrefix)
  }

  private async writeChunk(index: number, rows: string[]): Promise<void> {
    const data = await encodeChunk(rows)
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
