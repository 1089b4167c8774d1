import { describe, expect, it } from 'vitest'
import { originalOffset } from '../../utils/error-position'

describe('mapping a Postgres error position back to the editor text', () => {
  it('keeps positions as they are when the SQL has no placeholders', () => {
    expect(originalOffset('select id from nowhere', 'select id from nowhere', 16)).toBe(15)
  })

  it('accounts for placeholders compiled to bind markers of another length', () => {
    const original = 'select {{since}} as a, bogus_column from t'
    const compiled = 'select $1::date as a, bogus_column from t'
    const position = compiled.indexOf('bogus_column') + 1
    expect(original.slice(originalOffset(original, compiled, position))).toMatch(/^bogus_column/)
  })

  it('skips an optional block the compiler dropped', () => {
    const original = 'select 1 from t where true [[ and x = {{x}} ]] and bogus = 1'
    const compiled = 'select 1 from t where true  and bogus = 1'
    const position = compiled.indexOf('bogus') + 1
    expect(original.slice(originalOffset(original, compiled, position))).toMatch(/^bogus/)
  })

  it('follows into an optional block the compiler kept', () => {
    const original = 'select 1 from t where true [[ and bogus = {{x}} ]]'
    const compiled = 'select 1 from t where true  and bogus = $1::text '
    const position = compiled.indexOf('bogus') + 1
    expect(original.slice(originalOffset(original, compiled, position))).toMatch(/^bogus/)
  })
})
