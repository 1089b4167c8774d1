import { describe, expect, it } from 'vitest'
import { compileSql, placeholderNames, sourcePosition } from '#shared/parameters/compile'
import { ParameterError, type ParameterDefinition } from '#shared/parameters/types'
import { resolveParameterValues } from '#shared/parameters/values'

const context = { timezone: 'UTC', now: new Date('2026-03-15T12:00:00Z') }

function compile(sql: string, parameters: ParameterDefinition[], params: Record<string, unknown>) {
  return compileSql(sql, parameters, resolveParameterValues(parameters, params, context))
}

function issuesOf(action: () => unknown) {
  try {
    action()
  }
  catch (error) {
    if (error instanceof ParameterError) return error.issues
    throw error
  }
  throw new Error('expected a ParameterError')
}

describe('compileSql', () => {
  it('turns each placeholder into a typed $n and binds the value beside the SQL', () => {
    const parameters: ParameterDefinition[] = [
      { name: 'city', type: 'text' },
      { name: 'limit', type: 'integer' },
      { name: 'ratio', type: 'number' },
      { name: 'planned', type: 'boolean' },
      { name: 'day', type: 'date' },
      { name: 'since', type: 'timestamp' },
    ]
    const compiled = compile(
      'SELECT * FROM t WHERE city = {{city}} AND n < {{ limit }} AND r > {{ratio}} AND p = {{planned}} AND d = {{day}} AND ts >= {{since}} LIMIT {{limit}}',
      parameters,
      { city: 'Toronto', limit: 10, ratio: '0.5', planned: 'true', day: '2026-01-02', since: '2026-01-02T03:04:05Z' },
    )
    expect(compiled.sql).toBe('SELECT * FROM t WHERE city = $1::text AND n < $2::bigint AND r > $3::numeric AND p = $4::boolean AND d = $5::date AND ts >= $6::timestamptz LIMIT $2::bigint')
    expect(compiled.bindValues).toEqual(['Toronto', '10', '0.5', true, '2026-01-02', '2026-01-02T03:04:05.000Z'])
  })

  it('binds a multi-value parameter as one array for = ANY()', () => {
    const compiled = compile('SELECT 1 WHERE region = ANY({{regions}})', [{ name: 'regions', type: 'text', multiple: true }], { regions: ['East', 'West'] })
    expect(compiled.sql).toBe('SELECT 1 WHERE region = ANY($1::text[])')
    expect(compiled.bindValues).toEqual([['East', 'West']])
  })

  it('binds the two days of a date range and resolves relative ranges in the timezone', () => {
    const parameters: ParameterDefinition[] = [{ name: 'range', type: 'date_range' }]
    const compiled = compileSql('WHERE d >= {{range.start}} AND d < {{range.end}} + 1', parameters,
      resolveParameterValues(parameters, { range: 'last_7_days' }, { timezone: 'America/Toronto', now: new Date('2026-03-15T03:00:00Z') }))
    // 03:00 UTC on the 15th is still the 14th in Toronto
    expect(compiled.sql).toBe('WHERE d >= $1::date AND d < $2::date + 1')
    expect(compiled.bindValues).toEqual(['2026-03-08', '2026-03-14'])
  })

  it('drops an optional block whose parameter is empty and keeps it (without brackets) otherwise', () => {
    const parameters: ParameterDefinition[] = [{ name: 'cause', type: 'text' }, { name: 'min', type: 'integer' }]
    const sql = 'SELECT * FROM outages WHERE true [[AND cause = {{cause}}]] [[AND customers >= {{min}}]]'
    expect(compile(sql, parameters, { min: 5 })).toMatchObject({ sql: 'SELECT * FROM outages WHERE true  AND customers >= $1::bigint', bindValues: ['5'] })
    expect(compile(sql, parameters, { cause: '', min: null })).toMatchObject({ sql: 'SELECT * FROM outages WHERE true  ', bindValues: [] })
  })

  it('leaves brackets around no placeholder alone (multi-dimensional arrays, subscripts)', () => {
    const compiled = compile('SELECT ARRAY[[1,2],[3,4]], a[b[1]] FROM t', [], {})
    expect(compiled.sql).toBe('SELECT ARRAY[[1,2],[3,4]], a[b[1]] FROM t')
  })

  it('never replaces placeholders inside strings, quoted identifiers, dollar quotes or comments', () => {
    const sql = `SELECT '{{x}}', E'it\\'s {{x}}', "{{x}}", $$ {{x}} $$, $fn$ {{x}} $fn$ -- {{x}}
      /* {{x}} /* nested {{x}} */ {{x}} */ , {{x}}`
    const compiled = compile(sql, [{ name: 'x', type: 'text' }], { x: 'v' })
    expect(compiled.sql).toBe(sql.replace(/, \{\{x\}\}$/, ', $1::text'))
    expect(compiled.bindValues).toEqual(['v'])
  })

  it('keeps every injection attempt a bound value, for every type', () => {
    const injection = `'; DROP TABLE users; --`
    const parameters: ParameterDefinition[] = [
      { name: 'text', type: 'text' },
      { name: 'choice', type: 'enum', options: [injection, 'safe'] },
      { name: 'many', type: 'text', multiple: true },
    ]
    const compiled = compile('SELECT {{text}}, {{choice}}, {{many}}', parameters, { text: injection, choice: injection, many: [injection, '$$ {{text}} $$'] })
    expect(compiled.sql).toBe('SELECT $1::text, $2::text, $3::text[]')
    expect(compiled.sql).not.toContain('DROP')
    expect(compiled.bindValues).toEqual([injection, injection, [injection, '$$ {{text}} $$']])
  })

  it('refuses injection strings for typed parameters with a message naming the parameter', () => {
    const parameters: ParameterDefinition[] = [
      { name: 'n', type: 'number' },
      { name: 'i', type: 'integer' },
      { name: 'b', type: 'boolean' },
      { name: 'd', type: 'date' },
      { name: 't', type: 'timestamp' },
      { name: 'r', type: 'date_range' },
    ]
    const attack = '1; DROP TABLE users'
    const issues = issuesOf(() => compile('SELECT 1', parameters, { n: attack, i: attack, b: attack, d: attack, t: attack, r: attack }))
    expect(issues.map(issue => issue.path)).toEqual(['params.n', 'params.i', 'params.b', 'params.d', 'params.t', 'params.r'])
    for (const issue of issues) expect(issue.message).toMatch(/^parameter "\w+" /)
  })

  it('reports a missing required parameter, an unknown placeholder and positional markers', () => {
    expect(issuesOf(() => compile('SELECT {{a}}', [{ name: 'a', type: 'text', required: true }], {})))
      .toEqual([{ path: 'params.a', message: 'parameter "a" is required' }])
    expect(issuesOf(() => compile('SELECT {{nope}}', [], {}))[0]!.message).toMatch(/no parameter named "nope"/)
    expect(issuesOf(() => compile('SELECT $1', [], {}))[0]!.message).toMatch(/positional \$1/)
    expect(issuesOf(() => compile('SELECT {{r}}', [{ name: 'r', type: 'date_range' }], { r: 'today' }))[0]!.message).toMatch(/r\.start/)
  })

  it('uses the default only for a value left out: a value sent empty on purpose stays empty', () => {
    const required: ParameterDefinition[] = [{ name: 'a', type: 'text', required: true, default: 'fallback' }]
    expect(resolveParameterValues(required, {}, context).a).toBe('fallback')
    for (const empty of ['', null, []]) {
      expect(issuesOf(() => resolveParameterValues(required, { a: empty }, context)))
        .toEqual([{ path: 'params.a', message: 'parameter "a" is required' }])
    }
    const optional: ParameterDefinition[] = [{ name: 'flag', type: 'boolean', default: true }]
    expect(resolveParameterValues(optional, {}, context).flag).toBe(true)
    expect(resolveParameterValues(optional, { flag: null }, context).flag).toBeUndefined()
  })

  it('rejects values of unknown parameters and choices outside an enum', () => {
    const issues = issuesOf(() => compile('SELECT {{c}}', [{ name: 'c', type: 'enum', options: ['a', 'b'] }], { c: 'z', other: 1 }))
    expect(issues.map(issue => issue.path).sort()).toEqual(['params.c', 'params.other'])
  })

  it('binds an optional empty parameter outside a block as a typed NULL', () => {
    expect(compile('SELECT {{n}} IS NULL', [{ name: 'n', type: 'integer' }], {})).toMatchObject({ sql: 'SELECT $1::bigint IS NULL', bindValues: [null] })
  })

  it('uses the default when no value is given, relative dates included', () => {
    const compiled = compile('SELECT {{since}}', [{ name: 'since', type: 'timestamp', default: 'yesterday' }], {})
    expect(compiled.bindValues).toEqual(['2026-03-14T00:00:00.000Z'])
  })

  it('lists the placeholder names a SQL text uses', () => {
    expect(placeholderNames(`SELECT {{a}}, '{{b}}', {{c.start}} [[ {{a}} ]]`)).toEqual(['a', 'c'])
  })
})

describe('relative dates', () => {
  const now = new Date('2026-03-18T12:00:00Z') // a Wednesday
  const range = (token: string) => resolveParameterValues([{ name: 'r', type: 'date_range' }], { r: token }, { timezone: 'UTC', now }).r
  it('resolves every token to whole days', () => {
    expect(range('today')).toEqual({ start: '2026-03-18', end: '2026-03-18' })
    expect(range('yesterday')).toEqual({ start: '2026-03-17', end: '2026-03-17' })
    expect(range('last_30_days')).toEqual({ start: '2026-02-17', end: '2026-03-18' })
    expect(range('this_week')).toEqual({ start: '2026-03-16', end: '2026-03-22' })
    expect(range('last_week')).toEqual({ start: '2026-03-09', end: '2026-03-15' })
    expect(range('this_month')).toEqual({ start: '2026-03-01', end: '2026-03-31' })
    expect(range('last_month')).toEqual({ start: '2026-02-01', end: '2026-02-28' })
    expect(range('this_year')).toEqual({ start: '2026-01-01', end: '2026-12-31' })
  })

  it('puts a timestamp at local midnight of the timezone, across a DST change', () => {
    const value = (timezone: string, day: string) => resolveParameterValues([{ name: 't', type: 'timestamp' }], { t: day }, { timezone, now }).t
    expect(value('America/Toronto', '2026-03-08')).toBe('2026-03-08T05:00:00.000Z')
    expect(value('America/Toronto', '2026-03-09')).toBe('2026-03-09T04:00:00.000Z')
    expect(value('Asia/Kolkata', '2026-03-09')).toBe('2026-03-08T18:30:00.000Z')
  })
})

describe('sourcePosition', () => {
  it('maps a position in the compiled SQL back to the same character in the source SQL', () => {
    const parameters: ParameterDefinition[] = [{ name: 'cause', type: 'text' }, { name: 'min', type: 'integer' }]
    const source = 'SELECT * FROM outages WHERE true [[AND cause = {{cause}}]] [[AND customers >= {{min}}]] AND nope = 1'
    const compiled = compile(source, parameters, { min: 5 })
    const compiledPosition = compiled.sql.indexOf('nope') + 1
    expect(sourcePosition(compiled, compiledPosition)).toBe(source.indexOf('nope') + 1)
    expect(sourcePosition(compiled, compiled.sql.indexOf('customers') + 1)).toBe(source.indexOf('customers') + 1)
    // inside "$1::bigint": just after the text before the placeholder
    expect(sourcePosition(compiled, compiled.sql.indexOf('$1') + 3)).toBe(source.indexOf('{{min}}') + 1)
  })
})
