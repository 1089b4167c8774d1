// Reusable buffers for the text of chunks being written. A run copies each row into its
// chunk's buffer as the row arrives and compresses the buffer once the chunk is full;
// after the compression the buffer comes back here for the next chunk. A large run then
// cycles through a handful of buffers instead of leaving hundreds of half-megabyte ones
// (and the socket reads its rows were views of) for the garbage collector, which is
// what set the worker's peak memory (BENCHMARKS.md, "Engine").
const FIRST_BYTES = 1 << 20
// kept after use: about a chunk each of the in-flight bound, no more (an idle worker
// holds at most this many)
const MAX_KEPT = 8
// a buffer grown past this by one long-rowed chunk is left to the garbage collector
const MAX_KEPT_BYTES = 4 << 20

const kept: Buffer[] = []

/** A buffer of at least `bytes` bytes (contents undefined). */
export function takeChunkBuffer(bytes = FIRST_BYTES): Buffer {
  const index = kept.findIndex(buffer => buffer.length >= bytes)
  if (index !== -1) return kept.splice(index, 1)[0]!
  return Buffer.allocUnsafeSlow(Math.max(FIRST_BYTES, bytes))
}

/** Gives a buffer back once nothing reads it any more. */
export function returnChunkBuffer(buffer: Buffer): void {
  if (kept.length < MAX_KEPT && buffer.length <= MAX_KEPT_BYTES) kept.push(buffer)
}
