// Sends a run's whole result as a download in one of the export formats, streamed.
import { PassThrough, Readable } from 'node:stream'
import type { H3Event } from 'h3'
import { sendStream, setResponseHeaders } from 'h3'
import { streamResultRows } from '../results/read'
import type { RunResult } from '../results/run-result'
import { logger } from '../utils/logger'
import { csvLines } from './csv'
import { contentDisposition, exportFileName, queryNameOf } from './file-name'
import { jsonParts } from './json'
import { writeXlsx } from './xlsx'

export type ExportFormat = 'csv' | 'json' | 'xlsx'

const contentTypes: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
}

/** `raw`: CSV and XLSX text exactly as stored, without the apostrophe that keeps formulas from running. */
export async function sendResultExport(event: H3Event, { run, meta }: RunResult, format: ExportFormat, raw = false) {
  const fileName = exportFileName(await queryNameOf(run.queryId), run.finishedAt, format)
  setResponseHeaders(event, {
    'content-type': contentTypes[format],
    'content-disposition': contentDisposition(fileName),
    'cache-control': 'private, no-store',
  })
  const batches = streamResultRows(meta)
  logger.info('result exported', { runId: run.id, format, raw, rowCount: meta.rowCount })
  if (format === 'csv') return sendStream(event, Readable.from(csvLines(meta.columns, batches, raw)))
  if (format === 'json') return sendStream(event, Readable.from(jsonParts(meta.columns, batches, meta.rowCount, meta.truncated)))
  const output = new PassThrough()
  writeXlsx(output, meta.columns, batches, raw).catch((error) => {
    logger.error('xlsx export failed', { runId: run.id, error: String(error) })
    output.destroy(error)
  })
  return sendStream(event, output)
}
