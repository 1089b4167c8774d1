import { describe, expect, it } from 'vitest'
import { splitSqlStatements } from '#shared/sql-statements'

const texts = (sql: string) => splitSqlStatements(sql).map(statement => statement.text.trim())

describe('splitting SQL into statements', () => {
  it('splits at semicolons in code only', () => {
    expect(texts('select 1; commit; insert into t values (1)')).toEqual(['select 1', 'commit', 'insert into t values (1)'])
    expect(texts(`select ';' as a, "x;y", $$;$$, $tag$ ; $tag$, E'\\'; '`)).toHaveLength(1)
    expect(texts('select 1 -- ; not here\n')).toEqual(['select 1 -- ; not here'])
    expect(texts('select /* ; /* nested ; */ ; */ 1')).toHaveLength(1)
  })

  it('leaves out blank statements: whitespace, comments and stray semicolons', () => {
    expect(texts('  \n\t ')).toEqual([])
    expect(texts('-- only a comment\n /* and another */ ;;')).toEqual([])
    expect(texts('select 1;  -- trailing comment')).toEqual(['select 1'])
  })

  it('gives each statement\'s offset in the whole SQL', () => {
    expect(splitSqlStatements('select 1;select 2').map(statement => statement.offset)).toEqual([0, 9])
  })
})
