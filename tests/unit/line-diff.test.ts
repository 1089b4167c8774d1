import { describe, expect, it } from 'vitest'
import { lineDiff } from '../../utils/line-diff'

describe('line diff of two SQL versions', () => {
  it('marks a changed line as removed then added, keeping the shared lines', () => {
    expect(lineDiff('select a\nfrom t\nwhere x = 1', 'select a\nfrom t\nwhere x = 2')).toEqual([
      { kind: 'same', text: 'select a' },
      { kind: 'same', text: 'from t' },
      { kind: 'removed', text: 'where x = 1' },
      { kind: 'added', text: 'where x = 2' },
    ])
  })

  it('reports lines appended at the end as added', () => {
    expect(lineDiff('a', 'a\nb').map(line => line.kind)).toEqual(['same', 'added'])
  })
})
