// server/results owns a run's stored rows: writing them in compressed chunks (store.ts,
// Postgres by default, S3 past a size threshold), reading pages and whole results back
// (read.ts) and deleting expired ones (retention.ts). It never executes user SQL.
//
// What the rest of the server may ask of stored results (implemented in this folder):
//   readResultPage(runId, offset, limit) -> ResultPage   (opens only the chunks it needs)
//   streamResultRows(runId) -> AsyncIterable<unknown[][]> (whole result, chunk by chunk, for exports)
export interface ResultPage {
  columns: { name: string, type: string }[]
  rows: unknown[][]
  rowCount: number
  truncated: boolean
  offset: number
}
