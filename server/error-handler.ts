// The first of Nitro's error handlers (Nuxt's own formats the rest). Every error answers
// with its status code's own reason phrase as statusMessage: h3 leaves it unset unless
// given, and Nitro then says "Server Error" whatever the status, so a 400 read as a server
// fault. Two kinds of error tell the client when to come back: a run quota (429) carries
// Retry-After, and an error reaching Tessera's metadata database (stopped, restarting,
// unreachable) becomes a 503 with Retry-After instead of a 500, so clients and the UI know
// to wait and retry.
import { STATUS_CODES } from 'node:http'
import { send, setResponseHeader, setResponseStatus } from 'h3'
import { isMetadataUnavailable, METADATA_RETRY_AFTER_SECONDS } from './utils/metadata-unavailable'

export default defineNitroErrorHandler((error, event) => {
  error.statusMessage = STATUS_CODES[error.statusCode] ?? error.statusMessage
  const retryAfterSeconds = (error.data as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds
  if (typeof retryAfterSeconds === 'number') setResponseHeader(event, 'Retry-After', retryAfterSeconds)
  if (!isMetadataUnavailable(error)) return
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
})
