import { describe, expect, it } from 'vitest'
import { buildSchemaCompletionIndex, type SchemaTableInfo } from '../../utils/schema-completion-index'

function wideSchema(tableCount: number): SchemaTableInfo[] {
  return Array.from({ length: tableCount }, (_, index) => ({
    schema: index % 2 === 0 ? 'sales' : 'ops',
    name: `table_${String(index).padStart(5, '0')}`,
    columns: [{ name: 'id', type: 'int8' }, { name: `metric_${index}`, type: 'numeric' }],
  }))
}

describe('schema completion index', () => {
  const tables = wideSchema(10_000)
  const index = buildSchemaCompletionIndex(tables)

  it('offers every table whose name starts with the typed prefix, and nothing else', () => {
    const found = index.complete(undefined, 'table_0012', 1000).map(entry => entry.label)
    const expected = tables.map(table => table.name).filter(name => name.startsWith('table_0012'))
    expect(found.sort()).toEqual(expected.sort())
    expect(found).toHaveLength(10)
  })

  it('matches prefixes without regard to case', () => {
    expect(index.complete(undefined, 'TABLE_09999').map(entry => entry.label)).toEqual(['table_09999'])
  })

  it('offers schemas and column names at the top level', () => {
    expect(index.complete(undefined, 'sal').map(entry => entry.kind)).toEqual(['schema'])
    expect(index.complete(undefined, 'metric_9999').map(entry => entry.label)).toEqual(['metric_9999'])
  })

  it('offers only the tables of a schema after "schema."', () => {
    const found = index.complete('ops', 'table_0000', 1000).map(entry => entry.label)
    expect(found).toEqual(['table_00001', 'table_00003', 'table_00005', 'table_00007', 'table_00009'])
  })

  it('offers the columns of a table after "table." and after "schema.table."', () => {
    expect(index.complete('table_00042', '').map(entry => entry.label).sort()).toEqual(['id', 'metric_42'])
    expect(index.complete('sales.table_00042', 'met').map(entry => entry.label)).toEqual(['metric_42'])
  })

  it('caps the number of suggestions at the limit asked for', () => {
    expect(index.complete(undefined, 'table_', 50)).toHaveLength(50)
  })

  it('answers an unknown prefix or qualifier with nothing', () => {
    expect(index.complete(undefined, 'zzz')).toEqual([])
    expect(index.complete('nowhere', 'a')).toEqual([])
  })

  it('answers a lookup without visiting every name (a cap-bounded walk after a binary search)', () => {
    // Behaviour, not timing: a key array of 10k+ names is searched, so a prefix that matches
    // nothing returns empty even though every other name sorts before or after it.
    const many = buildSchemaCompletionIndex(wideSchema(20_000))
    expect(many.complete(undefined, 'table_19999')).toHaveLength(1)
    expect(many.complete(undefined, 'table_2')).toEqual([])
  })
})
