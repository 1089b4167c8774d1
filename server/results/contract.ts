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
