// Autocomplete on a 10,000-table schema: a prefix lookup in the editor's index
// (utils/schema-completion-index.ts) against the baseline a naive editor would do — a scan
// of every table and column name per keystroke — measured in the same run, medians.
// Run: node --import tsx bench/autocomplete-index.ts
import { buildSchemaCompletionIndex, type SchemaTableInfo } from '../utils/schema-completion-index'
import { median } from './statistics.mjs'

const tables: SchemaTableInfo[] = Array.from({ length: 10_000 }, (_, index) => ({
  schema: `schema_${index % 20}`,
  name: `table_${index}`,
  columns: Array.from({ length: 12 }, (_, column) => ({ name: `column_${index}_${column}`, type: 'text' })),
}))
const prefixes = ['t', 'table_1', 'table_99', 'col', 'column_5000_', 'zz', 'schema_1']

function time(label: string, lookup: (prefix: string) => unknown, rounds = 200): number {
  const samples: number[] = []
  for (let round = 0; round < rounds; round++) {
    const start = performance.now()
    for (const prefix of prefixes) lookup(prefix)
    samples.push((performance.now() - start) / prefixes.length)
  }
  const result = median(samples)
  console.log(`${label.padEnd(34)} ${(result * 1000).toFixed(1)} µs per lookup (median)`)
  return result
}

const buildStart = performance.now()
const index = buildSchemaCompletionIndex(tables)
console.log(`index build (once per schema load)  ${(performance.now() - buildStart).toFixed(1)} ms`)

const allNames = tables.flatMap(table => [table.name, ...table.columns.map(column => column.name)])
const naive = time('baseline: scan every name', prefix => allNames.filter(name => name.toLowerCase().startsWith(prefix)).slice(0, 100))
const indexed = time('index: binary search + capped walk', prefix => index.complete(undefined, prefix, 100))
console.log(`ratio baseline / index: ${(naive / indexed).toFixed(0)}×`)
