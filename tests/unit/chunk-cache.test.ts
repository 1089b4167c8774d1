import { describe, expect, it } from 'vitest'
import { ChunkCache } from '../../server/results/chunk-cache'

const bytes = (length: number) => new Uint8Array(length)

describe('chunk cache', () => {
  it('loads a chunk once while it is held, and once for concurrent readers', async () => {
    const cache = new ChunkCache<Uint8Array>(100, data => data.byteLength)
    let loads = 0
    const load = async () => {
      loads++
      await new Promise(resolve => setTimeout(resolve, 5))
      return bytes(10)
    }
    const [first, second] = await Promise.all([cache.get('a', load), cache.get('a', load)])
    expect(first).toBe(second)
    expect(await cache.get('a', load)).toBe(first)
    expect(loads).toBe(1)
  })

  it('evicts the least recently used chunks once the bytes held pass the bound', async () => {
    const cache = new ChunkCache<Uint8Array>(30, data => data.byteLength)
    const loaded: string[] = []
    const load = (key: string) => cache.get(key, async () => {
      loaded.push(key)
      return bytes(10)
    })
    await load('a')
    await load('b')
    await load('c')
    await load('a') // a is now the most recent: b goes first
    await load('d')
    expect(cache.size).toEqual({ entries: 3, heldBytes: 30 })
    await load('a')
    await load('c')
    await load('d')
    await load('b')
    expect(loaded).toEqual(['a', 'b', 'c', 'd', 'b'])
  })

  it('keeps no failed load: the next read tries again', async () => {
    const cache = new ChunkCache<Uint8Array>(100, data => data.byteLength)
    await expect(cache.get('a', async () => {
      throw new Error('fetch failed')
    })).rejects.toThrow('fetch failed')
    expect(cache.size).toEqual({ entries: 0, heldBytes: 0 })
    expect(await cache.get('a', async () => bytes(5))).toHaveLength(5)
  })
})
