import { describe, expect, it } from 'vitest'
import { compileSql } from '#shared/parameters/compile'
import { sourceErrorPosition } from '#shared/parameters/error-position'
import type { ParameterDefinition } from '#shared/parameters/types'
import { resolveParameterValues } from '#shared/parameters/values'

const queuedAt = new Date('2026-03-15T12:00:00Z')

// A failed run as the worker would store it: the compiled SQL and Postgres's 1-based
// position of `word` in it.
function failedRun(source: string, parameters: ParameterDefinition[], params: Record<string, unknown>, word: string) {
  const sql = compileSql(source, parameters, resolveParameterValues(parameters, params, { timezone: 'UTC', now: queuedAt })).sql
  return { sql, params, queuedAt, errorPosition: sql.indexOf(word) + 1 }
}

function blamed(source: string, parameters: ParameterDefinition[], params: Record<string, unknown>, word: string) {
  const position = sourceErrorPosition(source, parameters, failedRun(source, parameters, params, word))
  return position === null ? null : source.slice(position - 1)
}

describe('mapping a Postgres error position back to the text a person wrote', () => {
  it('keeps positions as they are when the SQL has no placeholders', () => {
    expect(blamed('select id from nowhere', [], {}, 'nowhere')).toBe('nowhere')
  })

  it('accounts for placeholders compiled to bind markers of another length', () => {
    expect(blamed('select {{since}} as a, bogus_column from t', [{ name: 'since', type: 'date' }], { since: '2026-01-01' }, 'bogus_column'))
      .toBe('bogus_column from t')
  })

  it('skips an optional block the compiler dropped', () => {
    expect(blamed('select 1 from t where true [[ and x = {{x}} ]] and bogus = 1', [{ name: 'x', type: 'text' }], {}, 'bogus'))
      .toBe('bogus = 1')
  })

  it('follows into an optional block the compiler kept', () => {
    expect(blamed('select 1 from t where true [[ and bogus = {{x}} ]]', [{ name: 'x', type: 'text' }], { x: 'a' }, 'bogus'))
      .toMatch(/^bogus = \{\{x\}\}/)
  })

  it('ignores a {{name}} inside a string, as the compiler does', () => {
    expect(blamed(`select '{{x}}' as label, {{x}} as x, bogus from t`, [{ name: 'x', type: 'integer' }], { x: 5 }, 'bogus'))
      .toBe('bogus from t')
  })

  it('answers null rather than a wrong place when the text sent is not what ran', () => {
    const run = failedRun('select bogus from t', [], {}, 'bogus')
    expect(sourceErrorPosition('select other, bogus from t', [], run)).toBeNull()
    expect(sourceErrorPosition('select bogus from t', [], { ...run, errorPosition: null })).toBeNull()
  })
})
