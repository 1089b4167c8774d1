// The first of Nitro's error handlers (Nuxt's own formats the rest). Every error answers
// with its status code's own reason phrase as statusMessage: h3 leaves it unset unless
// given, and Nitro then says "Server Error" whatever the status, so a 400 read as a server
// fault. Two kinds of error tell the client when to come back: a run quota (429) carries
// Retry-After, and an error reaching Tessera's metadata database (stopped, restarting,
// unreachable) becomes a 503 with Retry-After instead of a 500, so clients and the UI know
// to wait and retry. Unexpected errors (500s) are logged here, through the logger that
// leaves out the values bound to a failed query, and answered as Nitro would but without
// its own log line, which prints the whole error: a failed insert's password hash included.
import { STATUS_CODES } from 'node:http'
import { send, setResponseHeader, setResponseHeaders, setResponseStatus } from 'h3'
import { logger } from './utils/logger'
import { isMetadataUnavailable, METADATA_RETRY_AFTER_SECONDS } from './utils/metadata-unavailable'

export default defineNitroErrorHandler(async (error, event, { defaultHandler }) => {
  error.statusMessage = STATUS_CODES[error.statusCode] ?? error.statusMessage
  const retryAfterSeconds = (error.data as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds
  if (typeof retryAfterSeconds === 'number') setResponseHeader(event, 'Retry-After', retryAfterSeconds)
  if (isMetadataUnavailable(error)) {
    setResponseStatus(event, 503, STATUS_CODES[503])
    setResponseHeader(event, 'Retry-After', METADATA_RETRY_AFTER_SECONDS)
    setResponseHeader(event, 'Content-Type', 'application/json')
    setResponseHeader(event, 'Cache-Control', 'no-store')
    return send(event, JSON.stringify({
      statusCode: 503,
      statusMessage: STATUS_CODES[503],
      message: 'Tessera cannot reach its database right now. Try again in a few seconds.',
      data: { retryAfterSeconds: METADATA_RETRY_AFTER_SECONDS },
    }))
  }
  // a 4xx the code threw on purpose is an answer, not a failure: Nitro's handler formats it
  if (!error.unhandled && !error.fatal) return
  logger.error('request failed', { method: event.method, path: event.path.split('?')[0], error })
  const response = await defaultHandler(error, event, { silent: true })
  setResponseHeaders(event, response.headers)
  setResponseStatus(event, response.status, response.statusText)
  return send(event, typeof response.body === 'string' ? response.body : JSON.stringify(response.body, null, 2))
})
