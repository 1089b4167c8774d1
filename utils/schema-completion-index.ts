// The editor's autocomplete index over a datasource schema. Built once per schema load;
// every keystroke is then a binary search over sorted, lower-cased names, so a schema of
// 10,000 tables answers as fast as one of ten (no scan of every name per keystroke).
export interface SchemaColumnInfo { name: string, type: string }
export interface SchemaTableInfo { schema: string, name: string, kind?: string, columns: SchemaColumnInfo[] }

export interface CompletionEntry {
  label: string
  kind: 'schema' | 'table' | 'column'
  detail: string
}

interface Sorted { keys: string[], entries: CompletionEntry[] }

function sortedOf(entries: CompletionEntry[]): Sorted {
  // lower-case each label once, not once per comparison
  const keyed = entries.map(entry => ({ key: entry.label.toLowerCase(), entry }))
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  return { keys: keyed.map(item => item.key), entries: keyed.map(item => item.entry) }
}

function lowerBound(keys: string[], prefix: string): number {
  let low = 0
  let high = keys.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (keys[middle]! < prefix) low = middle + 1
    else high = middle
  }
  return low
}

function matchPrefix(sorted: Sorted | undefined, prefix: string, limit: number): CompletionEntry[] {
  if (!sorted) return []
  const key = prefix.toLowerCase()
  const found: CompletionEntry[] = []
  for (let index = lowerBound(sorted.keys, key); index < sorted.keys.length && found.length < limit; index++) {
    if (!sorted.keys[index]!.startsWith(key)) break
    found.push(sorted.entries[index]!)
  }
  return found
}

export interface SchemaCompletionIndex {
  /** Names to offer for `word` typed after an optional `qualifier.` (schema or table). */
  complete(qualifier: string | undefined, word: string, limit?: number): CompletionEntry[]
}

export function buildSchemaCompletionIndex(tables: SchemaTableInfo[]): SchemaCompletionIndex {
  const schemaNames = new Set<string>()
  const tablesBySchema = new Map<string, CompletionEntry[]>()
  const columnsByTable = new Map<string, CompletionEntry[]>()
  const topLevel: CompletionEntry[] = []
  const columnNames = new Map<string, CompletionEntry>()

  for (const table of tables) {
    schemaNames.add(table.schema)
    const tableEntry: CompletionEntry = { label: table.name, kind: 'table', detail: `${table.schema} · ${table.kind ?? 'table'}` }
    const inSchema = tablesBySchema.get(table.schema.toLowerCase()) ?? []
    inSchema.push(tableEntry)
    tablesBySchema.set(table.schema.toLowerCase(), inSchema)
    topLevel.push(tableEntry)
    const columns = table.columns.map(column => ({ label: column.name, kind: 'column' as const, detail: `${table.name} · ${column.type}` }))
    // a column list answers both `table.` and `schema.table.`
    for (const key of [table.name.toLowerCase(), `${table.schema}.${table.name}`.toLowerCase()]) {
      columnsByTable.set(key, [...(columnsByTable.get(key) ?? []), ...columns])
    }
    for (const column of columns) if (!columnNames.has(column.label)) columnNames.set(column.label, column)
  }
  for (const schema of schemaNames) topLevel.push({ label: schema, kind: 'schema', detail: 'schema' })

  const topLevelSorted = sortedOf(topLevel)
  const columnsSorted = sortedOf([...columnNames.values()])
  const schemaTables = new Map([...tablesBySchema].map(([schema, entries]) => [schema, sortedOf(entries)]))
  const tableColumns = new Map([...columnsByTable].map(([table, entries]) => [table, sortedOf(entries)]))

  return {
    complete(qualifier, word, limit = 100) {
      if (qualifier) {
        const key = qualifier.toLowerCase()
        const qualified = [...matchPrefix(schemaTables.get(key), word, limit), ...matchPrefix(tableColumns.get(key), word, limit)]
        return qualified.slice(0, limit)
      }
      const names = matchPrefix(topLevelSorted, word, limit)
      return names.length >= limit ? names : [...names, ...matchPrefix(columnsSorted, word, limit - names.length)]
    },
  }
}
