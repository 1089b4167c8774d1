import { promisify } from 'node:util'
import { gzip } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import type { RowFormat } from '../../server/connectors/types'
import { decodeChunk, encodeChunk } from '../../server/results/encoding'

const rows = [[1, '9007199254740993', null, true, 'tab\there "quoted" 🎉'], [2, 'NaN', 'x', false, '']]

describe('result chunk encoding', () => {
  it('gives back exactly the rows it was given', async () => {
    expect(await decodeChunk(await encodeChunk(rows.map(row => JSON.stringify(row))))).toEqual(rows)
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

  it('still reads chunks written with gzip', async () => {
    const gzipped = await promisify(gzip)(JSON.stringify(rows))
    expect(await decodeChunk(gzipped)).toEqual(rows)
  })
})
