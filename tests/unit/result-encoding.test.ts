import { promisify } from 'node:util'
import { gzip, zstdCompress } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import type { RowFormat } from '../../server/connectors/types'
import { decodeChunk, encodeChunk, openChunk } from '../../server/results/encoding'

const rows = [[1, '9007199254740993', null, true, 'tab\there "quoted" 🎉'], [2, 'NaN', 'x', false, '']]

describe('result chunk encoding', () => {
  it('still reads JSON chunks that earlier versions wrote for runs with bound parameters', async () => {
    const legacy = await promisify(zstdCompress)(JSON.stringify(rows))
    expect(await decodeChunk(legacy)).toEqual(rows)
    const opened = await openChunk(legacy)
    expect(opened.rows(1, 2)).toEqual([rows[1]])
  })

  it('reads COPY text lines back into the same values as JSON rows, escapes and NULLs included', async () => {
    // as COPY TO prints them: tab-separated, \N for NULL, backslash escapes in text
    const lines = [
      '1\t9007199254740993\t\\N\tt\ttab\\there "quoted" 🎉\t0.1',
      '2\tNaN\tx\tf\t\t-Infinity',
      '3\t\\\\N\t\\\\\tf\tline\\none\\rtwo\\\\\t1e+20',
    ]
    const format: RowFormat = { type: 'copy-text', valueKinds: ['integer', 'text', 'text', 'boolean', 'text', 'float'] }
    expect(await decodeChunk(await encodeChunk(lines.map(line => Buffer.from(`${line}\n`)), format))).toEqual([
      [1, '9007199254740993', null, true, 'tab\there "quoted" 🎉', 0.1],
      [2, 'NaN', 'x', false, '', '-Infinity'],
      [3, '\\N', '\\', false, 'line\none\rtwo\\', 1e20],
    ])
  })

  it('decodes only the rows a page asks for, and stops a page once its text passes the byte cap', async () => {
    const lines = Array.from({ length: 10 }, (_, index) => Buffer.from(`${index}\t${'x'.repeat(100)}\n`))
    const opened = await openChunk(await encodeChunk(lines, { type: 'copy-text', valueKinds: ['integer', 'text'] }))
    expect(opened.rowCount).toBe(10)
    expect(opened.rows(3, 5)).toEqual([[3, 'x'.repeat(100)], [4, 'x'.repeat(100)]])
    // 104 bytes a line: 250 bytes hold two lines; the first row always comes, however long
    expect(opened.rows(0, 10, 250).map(row => row[0])).toEqual([0, 1])
    expect(opened.rows(7, 10, 1).map(row => row[0])).toEqual([7])
    expect(opened.rows(8, 20)).toHaveLength(2)
  })

  it('round-trips chunks small enough to compress in place and too big to (over 4 MiB of text), incompressible ones too', async () => {
    const format: RowFormat = { type: 'copy-text', valueKinds: ['integer', 'text'] }
    const { randomBytes } = await import('node:crypto')
    for (const [count, valueOf] of [[10, (index: number) => `v${index}`], [3_000, () => randomBytes(1_200).toString('hex')]] as const) {
      const values = Array.from({ length: count }, (_, index) => valueOf(index))
      const chunk = await decodeChunk(await encodeChunk(values.map((value, index) => Buffer.from(`${index}\t${value}\n`)), format))
      expect(chunk).toEqual(values.map((value, index) => [index, value]))
    }
  })

  it('still reads chunks written with gzip', async () => {
    const gzipped = await promisify(gzip)(JSON.stringify(rows))
    expect(await decodeChunk(gzipped)).toEqual(rows)
  })
})
