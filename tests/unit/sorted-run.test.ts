import { describe, expect, it } from 'vitest'
import { sortedSql, withoutFinalSemicolon } from '#shared/sorted-run'

describe('sorted re-runs', () => {
  it('drop only the final semicolon of code, never one in a string or a comment', () => {
    expect(withoutFinalSemicolon('SELECT 1;')).toBe('SELECT 1')
    expect(withoutFinalSemicolon('SELECT 1; -- done;')).toBe('SELECT 1 -- done;')
    expect(withoutFinalSemicolon("SELECT ';'")).toBe("SELECT ';'")
    expect(withoutFinalSemicolon('SELECT $$;$$ /* ; */')).toBe('SELECT $$;$$ /* ; */')
  })

  it('order by the column position, nulls last, with the comment closed before the parenthesis', () => {
    expect(sortedSql('SELECT a FROM t -- note', { column: 2, direction: 'desc' }))
      .toBe('/* tessera: sorted re-run */ SELECT * FROM (\nSELECT a FROM t -- note\n) AS tessera_sorted ORDER BY 2 DESC NULLS LAST')
    expect(() => sortedSql('SELECT 1', { column: 0, direction: 'asc' })).toThrow()
  })
})
