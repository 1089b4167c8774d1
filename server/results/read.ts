// server/results owns a run's stored rows: writing them in compressed chunks (store.ts,
// Postgres by default, S3 past a size threshold), reading them back (this file) and
// deleting expired ones (retention.ts). It never executes user SQL.
//
// Reading: a page opens only the chunks that cover its rows (kept opened for the next
// page, chunk-cache.ts) and decodes only its own rows; a page stops early once its rows
// pass TESSERA_PAGE_MAX_BYTES of text, so one page never carries hundreds of megabytes
// (the caller asks again from offset + rows.length). A whole result (exports) is streamed
// chunk by chunk. Every read is scoped to the org.
import { and, eq, sql } from 'drizzle-orm'
import { resultChunks, results, type ResultColumn } from '../../db/schema'
import { useConfig } from '../config'
import { preparedRead } from '../utils/db'
import { openChunk, type OpenedChunk } from './encoding'
import { openedChunks, storedChunks } from './chunk-cache'
import { getChunk } from './s3'

export type ResultMeta = typeof results.$inferSelect

export interface ResultPage {
  columns: ResultColumn[]
  rows: unknown[][]
  rowCount: number
  truncated: boolean
  offset: number
}

// read for every page
const resultOfRun = preparedRead('result_of_run', (db, name) => db.select().from(results)
  .where(and(eq(results.runId, sql.placeholder('runId')), eq(results.orgId, sql.placeholder('orgId'))))
  .prepare(name))

export async function getResultMeta(orgId: string, runId: string): Promise<ResultMeta | undefined> {
  const [meta] = await resultOfRun().execute({ runId, orgId })
  return meta
}

const chunkOfResult = preparedRead('chunk_of_result', (db, name) => db.select({ data: resultChunks.data }).from(resultChunks)
  .where(and(eq(resultChunks.runId, sql.placeholder('runId')), eq(resultChunks.chunkIndex, sql.placeholder('index'))))
  .prepare(name))

async function chunkData(meta: ResultMeta, index: number): Promise<Uint8Array> {
  if (meta.storage === 's3') return getChunk(meta.objectPrefix!, index)
  const rows = await chunkOfResult().execute({ runId: meta.runId, index })
  if (!rows[0]) throw new Error(`result ${meta.runId} is missing chunk ${index}`)
  return rows[0].data
}

function readChunk(meta: ResultMeta, index: number): Promise<OpenedChunk> {
  // keyed by the result's creation too: a retried run rewrites its chunks under the same indexes
  const key = `${meta.runId}:${meta.createdAt.getTime()}:${index}`
  return openedChunks.get(key, async () => openChunk(await storedChunks.get(key, () => chunkData(meta, index))))
}

/**
 * Rows [offset, offset + limit) of a run's result, fewer when they pass the page byte
 * cap (at least one row), or undefined when the run has no result.
 */
export async function readResultPage(orgId: string, runId: string, offset: number, limit: number): Promise<ResultPage | undefined> {
  const meta = await getResultMeta(orgId, runId)
  return meta && readPage(meta, offset, limit)
}

/** The same, for a caller that already holds the result's metadata (one query fewer). */
export async function readPage(meta: ResultMeta, offset: number, limit: number): Promise<ResultPage> {
  const end = Math.min(offset + limit, meta.rowCount)
  const rows: unknown[][] = []
  let budget = useConfig().TESSERA_PAGE_MAX_BYTES
  for (let position = offset; position < end && budget > 0;) {
    const index = Math.floor(position / meta.chunkRows)
    const chunk = await readChunk(meta, index)
    const from = position - index * meta.chunkRows
    const taken = chunk.rows(from, end - index * meta.chunkRows, budget)
    if (taken.length === 0) break
    for (const row of taken) rows.push(row)
    budget -= textBytes(taken)
    position += taken.length
  }
  return { columns: meta.columns, rows, rowCount: meta.rowCount, truncated: meta.truncated, offset }
}

// the page's size as the cap counts it (strings by length; numbers, booleans and nulls are short)
function textBytes(rows: unknown[][]): number {
  let bytes = 0
  for (const row of rows) {
    for (const value of row) bytes += typeof value === 'string' ? value.length + 3 : 8
  }
  return bytes
}

/** The whole result, one chunk of rows at a time (nothing else held in memory). */
export async function* streamResultRows(meta: ResultMeta): AsyncGenerator<unknown[][]> {
  for (let index = 0; index < meta.chunkCount; index++) {
    // exports read each chunk once: opened directly, not through the page cache
    const chunk = await openChunk(await chunkData(meta, index))
    yield chunk.rows(0, chunk.rowCount)
  }
}
