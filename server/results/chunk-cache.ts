// Small per-process caches of a result's chunks, so paging never fetches or decompresses
// the same chunk again while it is in use. Two tiers:
//   - opened chunks (decompressed and line-indexed): the next page of a scroll, or a
//     dashboard read by many viewers, decodes straight from memory;
//   - stored chunks (the compressed bytes as fetched): about a third of the size, so
//     three times as many stay at hand, and a chunk evicted from the first tier opens
//     again without a round trip to the database or S3 (decompressing takes ~1 ms; the
//     fetch took ~3 ms for a 5,000-row chunk).
// A stored chunk never changes (a run writes its chunks once; a retry deletes them first
// and writes under its own attempt), so an entry needs no invalidation: it is only
// evicted, least recently used first, once the bytes held pass the tier's bound.
// Concurrent reads of the same chunk share one load; a failed load is not kept.
import type { OpenedChunk } from './encoding'

export class ChunkCache<Value> {
  private readonly entries = new Map<string, { value: Promise<Value>, heldBytes: number }>()
  private heldBytes = 0

  constructor(private readonly maxHeldBytes: number, private readonly bytesOf: (value: Value) => number) {}

  async get(key: string, load: () => Promise<Value>): Promise<Value> {
    const cached = this.entries.get(key)
    if (cached) {
      // most recently used goes last in the eviction order
      this.entries.delete(key)
      this.entries.set(key, cached)
      return cached.value
    }
    const entry = { value: load(), heldBytes: 0 }
    this.entries.set(key, entry)
    try {
      const value = await entry.value
      if (this.entries.get(key) === entry) {
        entry.heldBytes = this.bytesOf(value)
        this.heldBytes += entry.heldBytes
        this.evict()
      }
      return value
    }
    catch (error) {
      if (this.entries.get(key) === entry) this.entries.delete(key)
      throw error
    }
  }

  /** What the tier holds now (for tests and diagnostics). */
  get size(): { entries: number, heldBytes: number } {
    return { entries: this.entries.size, heldBytes: this.heldBytes }
  }

  private evict(): void {
    for (const [key, entry] of this.entries) {
      if (this.heldBytes <= this.maxHeldBytes) return
      this.entries.delete(key)
      this.heldBytes -= entry.heldBytes
    }
  }
}

// 48 MiB holds about 75 opened 5,000-row chunks of a ten-column result; 32 MiB about 150 stored ones
export const openedChunks = new ChunkCache<OpenedChunk>(48 << 20, chunk => chunk.heldBytes)
export const storedChunks = new ChunkCache<Uint8Array>(32 << 20, data => data.byteLength)
