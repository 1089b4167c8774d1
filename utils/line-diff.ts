// A small line diff (longest common subsequence) for comparing two versions of a query's
// SQL in the history panel. Quadratic in lines, which is fine for SQL of a few hundred lines.
export interface DiffLine { kind: 'same' | 'added' | 'removed', text: string }

export function lineDiff(before: string, after: string): DiffLine[] {
  const left = before.split('\n')
  const right = after.split('\n')
  const lengths = Array.from({ length: left.length + 1 }, () => new Array<number>(right.length + 1).fill(0))
  for (let i = left.length - 1; i >= 0; i--) {
    for (let j = right.length - 1; j >= 0; j--) {
      lengths[i]![j] = left[i] === right[j] ? lengths[i + 1]![j + 1]! + 1 : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!)
    }
  }
  const lines: DiffLine[] = []
  let i = 0
  let j = 0
  while (i < left.length && j < right.length) {
    if (left[i] === right[j]) {
      lines.push({ kind: 'same', text: left[i]! })
      i++
      j++
    }
    else if (lengths[i + 1]![j]! >= lengths[i]![j + 1]!) lines.push({ kind: 'removed', text: left[i++]! })
    else lines.push({ kind: 'added', text: right[j++]! })
  }
  while (i < left.length) lines.push({ kind: 'removed', text: left[i++]! })
  while (j < right.length) lines.push({ kind: 'added', text: right[j++]! })
  return lines
}
