// The first of Nitro's error handlers (Nuxt's own formats the rest). Two kinds of error
// tell the client when to come back: a run quota (429) carries Retry-After, and an error
// reaching Tessera's metadata database (stopped, restarting, unreachable) becomes a 503
// with Retry-After instead of a 500, so clients and the UI know to wait and retry.
import { send, setResponseHeader, setResponseStatus } from 'h3'
import { isMetadataUnavailable, METADATA_RETRY_AFTER_SECONDS } from './utils/metadata-unavailable'

export default defineNitroErrorHandler((error, event) => {
  const retryAfterSeconds = (error.data as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds
  if (typeof retryAfterSeconds === 'number') setResponseHeader(event, 'Retry-After', retryAfterSeconds)
  if (!isMetadataUnavailable(error)) return
  setResponseStatus(event, 503, 'Service Unavailable')
  setResponseHeader(event, 'Retry-After', METADATA_RETRY_AFTER_SECONDS)
  setResponseHeader(event, 'Content-Type', 'application/json')
  setResponseHeader(event, 'Cache-Control', 'no-store')
  return send(event, JSON.stringify({
    statusCode: 503,
    statusMessage: 'Service Unavailable',
    message: 'Tessera cannot reach its database right now. Try again in a few seconds.',
    data: { retryAfterSeconds: METADATA_RETRY_AFTER_SECONDS },
  }))
})
