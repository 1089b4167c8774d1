import { describe, expect, it } from 'vitest'
import { checkOneStatement } from '../../server/connectors/postgres-statement'

const refusal = (sql: string) => {
  try {
    checkOneStatement(sql)
  }
  catch (error) {
    return (error as Error).message
  }
  return undefined
}

describe('what a run or an estimate may send', () => {
  it('takes one statement, with or without its final semicolon', () => {
    expect(refusal('select 1')).toBeUndefined()
    expect(refusal('select 1;\n-- done')).toBeUndefined()
    expect(refusal('with x as (select 1) select * from x')).toBeUndefined()
  })

  it('refuses several statements, whatever the first one is', () => {
    expect(refusal('select 1; commit; insert into t values (1)')).toMatch(/Only one statement.*holds 3/)
    expect(refusal('rollback; begin; delete from t; commit')).toMatch(/Only one statement/)
    expect(refusal('select 1; copy (select 1) to program \'touch /tmp/x\'')).toMatch(/Only one statement/)
  })

  it('refuses blank SQL and transaction control', () => {
    expect(refusal('   \n ')).toMatch(/no SQL to run/)
    expect(refusal('/* x */')).toMatch(/no SQL to run/)
    expect(refusal('commit')).toMatch(/Transaction control/)
    expect(refusal('set transaction read write')).toMatch(/transaction mode/)
  })
})
