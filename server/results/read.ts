// server/results owns a run's stored rows: writing them in compressed chunks (store.ts,
// Postgres by default, S3 past a size threshold), reading them back (this file) and
// deleting expired ones (retention.ts). It never executes user SQL.
//
// Reading: a page opens only the chunks that cover its rows; a whole result (exports) is
// streamed chunk by chunk. Every read is scoped to the org.
import { and, eq } from 'drizzle-orm'
import { results, type ResultColumn } from '../../db/schema'
import { useDb, usePool } from '../utils/db'
import { decodeChunk } from './encoding'
import { getChunk } from './s3'

export type ResultMeta = typeof results.$inferSelect

export interface ResultPage {
  columns: ResultColumn[]
  rows: unknown[][]
  rowCount: number
  truncated: boolean
  offset: number
}

export async function getResultMeta(orgId: string, runId: string): Promise<ResultMeta | undefined> {
  const [meta] = await useDb().select().from(results).where(and(eq(results.runId, runId), eq(results.orgId, orgId)))
  return meta
}

async function readChunks(meta: ResultMeta, first: number, last: number): Promise<unknown[][][]> {
  if (last < first) return []
  if (meta.storage === 's3') {
    const indexes = Array.from({ length: last - first + 1 }, (_, offset) => first + offset)
    return Promise.all(indexes.map(async index => decodeChunk(await getChunk(meta.objectPrefix!, index))))
  }
  const { rows } = await usePool().query<{ data: Buffer }>(
    'SELECT data FROM result_chunks WHERE run_id = $1 AND chunk_index BETWEEN $2 AND $3 ORDER BY chunk_index',
    [meta.runId, first, last],
  )
  if (rows.length !== last - first + 1) throw new Error(`result ${meta.runId} is missing chunks ${first}–${last}`)
  return Promise.all(rows.map(row => decodeChunk(row.data)))
}

/** Rows [offset, offset + limit) of a run's result, or undefined when the run has no result. */
export async function readResultPage(orgId: string, runId: string, offset: number, limit: number): Promise<ResultPage | undefined> {
  const meta = await getResultMeta(orgId, runId)
  if (!meta) return undefined
  const end = Math.min(offset + limit, meta.rowCount)
  let rows: unknown[][] = []
  if (end > offset) {
    const first = Math.floor(offset / meta.chunkRows)
    const last = Math.floor((end - 1) / meta.chunkRows)
    const chunks = await readChunks(meta, first, last)
    rows = chunks.flat().slice(offset - first * meta.chunkRows, end - first * meta.chunkRows)
  }
  return { columns: meta.columns, rows, rowCount: meta.rowCount, truncated: meta.truncated, offset }
}

/** The whole result, one chunk of rows at a time (nothing else held in memory). */
export async function* streamResultRows(orgId: string, runId: string): AsyncGenerator<unknown[][]> {
  const meta = await getResultMeta(orgId, runId)
  if (!meta) return
  for (let index = 0; index < meta.chunkCount; index++) {
    const [chunk] = await readChunks(meta, index, index)
    yield chunk!
  }
}
