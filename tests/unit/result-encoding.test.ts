import { promisify } from 'node:util'
import { gzip } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { decodeChunk, encodeChunk } from '../../server/results/encoding'

const rows = [[1, '9007199254740993', null, true, 'tab\there "quoted" 🎉'], [2, 'NaN', 'x', false, '']]

describe('result chunk encoding', () => {
  it('gives back exactly the rows it was given', async () => {
    expect(await decodeChunk(await encodeChunk(rows.map(row => JSON.stringify(row))))).toEqual(rows)
  })

  it('still reads chunks written with gzip', async () => {
    const gzipped = await promisify(gzip)(JSON.stringify(rows))
    expect(await decodeChunk(gzipped)).toEqual(rows)
  })
})
