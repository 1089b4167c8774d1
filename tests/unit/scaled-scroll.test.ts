import { describe, expect, it } from 'vitest'
import { MAX_SCROLL_SPACE_PX, rowWindow, scrollSpaceHeight } from '../../utils/scaled-scroll'

describe('scaled scroll space for the results grid', () => {
  it('maps scroll pixels one to one while the rows fit under the cap', () => {
    expect(scrollSpaceHeight(1000, 28)).toBe(28_000)
    expect(rowWindow(280, 560, 1000, 28)).toEqual({ first: 10, last: 30, offset: 0 })
  })

  it('caps the scroll space for two million rows below the browser element limit', () => {
    expect(scrollSpaceHeight(2_000_000, 28)).toBe(MAX_SCROLL_SPACE_PX)
  })

  it('shows the first row at the top and the very last row at the bottom of a capped space', () => {
    const viewport = 560
    expect(rowWindow(0, viewport, 2_000_000, 28).first).toBe(0)
    const bottom = rowWindow(MAX_SCROLL_SPACE_PX - viewport, viewport, 2_000_000, 28)
    expect(bottom.last).toBe(1_999_999)
    // the last row's bottom edge meets the viewport's bottom edge
    expect(bottom.offset + (bottom.last - bottom.first + 1) * 28).toBeCloseTo(viewport, 5)
  })

  it('moves through rows in proportion to the scroll position in a capped space', () => {
    const viewport = 560
    const middle = rowWindow((MAX_SCROLL_SPACE_PX - viewport) / 2, viewport, 2_000_000, 28)
    expect(Math.abs(middle.first - 1_000_000)).toBeLessThan(20)
  })

  it('answers an empty window for an empty result', () => {
    expect(rowWindow(0, 500, 0, 28)).toEqual({ first: 0, last: -1, offset: 0 })
  })
})
