// Recognizes errors that mean "Tessera's own database cannot be reached right now"
// (connection refused or dropped, the server shutting down or starting up), as opposed to
// a bug or a bad query. The API answers those with 503 + Retry-After.

export const METADATA_RETRY_AFTER_SECONDS = 5

// Node socket errors on connect or mid-query
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'])
// SQLSTATE class 08 (connection exception) and 57P0x (admin / crash shutdown, cannot connect now)
const SQLSTATE = /^(08\d{3}|57P0[1-3])$/
// node-postgres says these in words only
const MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection refused/i

export function isMetadataUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 6; current = (current as { cause?: unknown }).cause, depth++) {
    const { code, message } = current as { code?: unknown, message?: unknown }
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || SQLSTATE.test(code))) return true
    if (typeof message === 'string' && MESSAGES.test(message)) return true
    if (current instanceof AggregateError && current.errors.some(isMetadataUnavailable)) return true
  }
  return false
}
