// Finds the {{name}} placeholders of a query's SQL, in order of first appearance, so the
// editor can add a parameter for each new one. The server compiles them to $n; this only reads names.
const placeholderPattern = /\{\{\s*([A-Za-z_]\w*)(?:\.(?:start|end))?\s*\}\}/g

export function placeholderNames(sqlText: string): string[] {
  const names: string[] = []
  for (const match of sqlText.matchAll(placeholderPattern)) {
    if (!names.includes(match[1]!)) names.push(match[1]!)
  }
  return names
}
