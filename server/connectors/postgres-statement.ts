// Statements a run must never execute even once: transaction control and switches of the
// transaction's read-only mode. The read-only transaction already makes them fail or do
// nothing harmful (a snapshot is taken before the user's statement, so READ WRITE is
// rejected by Postgres), but the user deserves a clear message instead of a puzzle.
import { QueryError } from './types'

const transactionControl = /^(begin|start|commit|end|rollback|abort|savepoint|release|prepare\s+transaction|discard)\b/i
const readOnlySwitch = /^(set|reset)\b[\s\S]*\b(transaction|session\s+characteristics|transaction_read_only|default_transaction_read_only|all)\b/i

/** The SQL without its leading comments, whitespace and opening parentheses. */
function leadingStatement(sql: string): string {
  let rest = sql
  for (;;) {
    const trimmed = rest.replace(/^[\s(]+/, '')
    if (trimmed.startsWith('--')) {
      const newline = trimmed.indexOf('\n')
      rest = newline === -1 ? '' : trimmed.slice(newline + 1)
    }
    else if (trimmed.startsWith('/*')) {
      // block comments nest in Postgres
      let depth = 0
      let index = 0
      while (index < trimmed.length) {
        if (trimmed.startsWith('/*', index)) { depth++; index += 2 }
        else if (trimmed.startsWith('*/', index)) { depth--; index += 2; if (depth === 0) break }
        else index++
      }
      rest = trimmed.slice(index)
    }
    else return trimmed
  }
}

export function refuseTransactionControl(sql: string): void {
  const statement = leadingStatement(sql)
  if (transactionControl.test(statement)) {
    throw new QueryError('Transaction control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT …) is not allowed: every run is one read-only transaction.', undefined, '25006')
  }
  if (readOnlySwitch.test(statement)) {
    throw new QueryError('Changing the transaction mode is not allowed: every run is one read-only transaction.', undefined, '25006')
  }
}
