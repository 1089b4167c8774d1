// A small per-process cache of opened (decompressed, line-indexed) chunks, so scrolling
// through a result never decompresses a chunk again for the next page, and a dashboard
// read by many viewers opens its chunk once. A stored chunk never changes (a run writes
// its chunks once; a retry deletes them first and writes under its own attempt), so an
// entry needs no invalidation; it is only evicted, least recently used first, once the
// decompressed bytes held pass the bound. Concurrent reads of the same chunk share one open.
import type { OpenedChunk } from './encoding'

const MAX_HELD_BYTES = 48 << 20

interface Entry { chunk: Promise<OpenedChunk>, heldBytes: number }

const entries = new Map<string, Entry>()
let heldBytes = 0

export async function openedChunk(resultKey: string, index: number, open: () => Promise<OpenedChunk>): Promise<OpenedChunk> {
  const key = `${resultKey}:${index}`
  const cached = entries.get(key)
  if (cached) {
    // most recently used goes last in the eviction order
    entries.delete(key)
    entries.set(key, cached)
    return cached.chunk
  }
  const entry: Entry = { chunk: open(), heldBytes: 0 }
  entries.set(key, entry)
  try {
    const chunk = await entry.chunk
    if (entries.get(key) === entry) {
      entry.heldBytes = chunk.heldBytes
      heldBytes += chunk.heldBytes
      evict()
    }
    return chunk
  }
  catch (error) {
    if (entries.get(key) === entry) entries.delete(key)
    throw error
  }
}

function evict(): void {
  for (const [key, entry] of entries) {
    if (heldBytes <= MAX_HELD_BYTES) return
    entries.delete(key)
    heldBytes -= entry.heldBytes
  }
}
