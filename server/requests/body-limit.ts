// Owns how much of a request body the web process reads: a limit per route (small for
// the sign-in routes, larger for SQL, dashboards and the rest), checked against
// Content-Length before a byte is read and counted while a chunked body streams in, so
// an oversized body is refused with 413 and never held in memory. The body read here is
// handed to h3 as the request's raw body: handlers read it as usual, never from the socket.
import type { IncomingMessage } from 'node:http'
import { createError, setResponseHeader, type H3Event } from 'h3'
import { useConfig } from '../config'

// sign-in and session bodies are a few short strings
const AUTH_ROUTES_PREFIX = '/api/auth/'

type ReadableRequest = IncomingMessage & { rawBody?: Buffer, body?: unknown }

export function bodyLimitFor(path: string): number {
  const config = useConfig()
  return path.startsWith(AUTH_ROUTES_PREFIX) ? config.TESSERA_MAX_AUTH_BODY_BYTES : config.TESSERA_MAX_BODY_BYTES
}

/** Reads the request's body within its route's limit, or throws a 413 that closes the connection. */
export async function readBodyWithinLimit(event: H3Event): Promise<void> {
  const request = event.node.req as ReadableRequest
  // an in-process call (Nitro's localFetch) hands its body over already; only bodies
  // arriving over a socket are read here
  if (request.body !== undefined) return
  const declaredLength = request.headers['content-length']
  const chunked = /\bchunked\b/i.test(request.headers['transfer-encoding'] ?? '')
  if (!chunked && !(Number(declaredLength) > 0)) return
  const limit = bodyLimitFor(event.path)
  if (Number(declaredLength) > limit) refuseTooLarge(event, limit)
  const body = await readAtMost(request, limit)
  if (!body) refuseTooLarge(event, limit)
  request.rawBody = body
}

// how long a refused connection stays half-open after its 413 (see closeAfterAnswer)
const LINGER_MS = 1000

function refuseTooLarge(event: H3Event, limit: number): never {
  closeAfterAnswer(event)
  throw createError({ statusCode: 413, message: `The request body is larger than the ${limit} bytes this route accepts` })
}

/**
 * The client may still be sending: the connection closes after the answer, where keeping it
 * alive would mean reading the rest first. Node closes a `Connection: close` socket at once
 * once the answer is written, and a socket closed with unread input resets the connection:
 * a client still writing then sees the reset instead of the 413 it had not read yet. So
 * the socket only half-closes (the answer, then end of stream), discards what still
 * arrives, and closes a moment later.
 */
function closeAfterAnswer(event: H3Event): void {
  setResponseHeader(event, 'Connection', 'close')
  const request = event.node.req
  const socket = request.socket
  socket.destroySoon = () => {
    socket.end()
    request.resume()
    setTimeout(() => socket.destroy(), LINGER_MS).unref()
  }
}

/** The whole body, or undefined as soon as more than `limit` bytes have arrived (reading then stops). */
function readAtMost(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let received = 0
    const stop = () => {
      request.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose)
    }
    const onData = (chunk: Buffer) => {
      received += chunk.length
      if (received <= limit) {
        chunks.push(chunk)
        return
      }
      stop()
      request.pause()
      resolve(undefined)
    }
    const onEnd = () => {
      stop()
      resolve(Buffer.concat(chunks))
    }
    const onError = (error: Error) => {
      stop()
      reject(error)
    }
    // the client went away before the body ended
    const onClose = () => onError(createError({ statusCode: 400, message: 'The request body ended early' }))
    request.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose)
  })
}
