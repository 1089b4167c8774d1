import { describe, expect, it } from 'vitest'
import { cellsAsTsv, displayCell, groupDigits } from '../../utils/cell-format'

describe('results grid cells', () => {
  it('group the digits of numbers without rounding exact Postgres text', () => {
    expect(groupDigits(1234567)).toBe('1,234,567')
    expect(groupDigits('-98765432109876543210.000123')).toBe('-98,765,432,109,876,543,210.000123')
    expect(groupDigits('999')).toBe('999')
    expect(groupDigits('NaN')).toBe('NaN')
  })

  it('show NULL, pending cells and only number columns grouped', () => {
    expect(displayCell(null, true)).toBe('NULL')
    expect(displayCell(undefined, false)).toBe('…')
    expect(displayCell('12345', false)).toBe('12345')
    expect(displayCell({ a: 1 }, false)).toBe('{"a":1}')
  })

  it('copy a selection as tab-separated raw values, NULL as empty', () => {
    expect(cellsAsTsv([[1, 'a\tb', null], [2000, 'c', 'd']], 0, 1)).toBe('1\ta b\n2000\tc')
    expect(cellsAsTsv([[1, 'x', null]], 1, 2)).toBe('x\t')
  })
})
