// The one check of what a run or an estimate may send: exactly one statement (several,
// once sent as one simple-protocol message, could COMMIT the read-only transaction and
// write), not blank, and neither transaction control nor a switch of the transaction's
// read-only mode. The web checks before queueing (a 400); the worker checks again before
// sending, and sends through the extended protocol, which refuses several statements too.
import { splitSqlStatements } from '#shared/sql-statements'
import { QueryError } from './types'

// SQLSTATE syntax_error: the SQL is not something Tessera will send
const NOT_ONE_STATEMENT = '42601'

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

/** Throws a QueryError unless `sql` is exactly one statement a read-only run may execute. */
export function checkOneStatement(sql: string): void {
  const statements = splitSqlStatements(sql)
  if (statements.length === 0) throw new QueryError('There is no SQL to run: the text is empty or only comments.', undefined, NOT_ONE_STATEMENT)
  if (statements.length > 1) {
    // 1-based, like Postgres's own positions: where the second statement starts
    const second = statements[1]!
    const position = second.offset + second.text.length - second.text.trimStart().length + 1
    throw new QueryError(`Only one statement can run at a time; this SQL holds ${statements.length}. Run them one by one.`, position, NOT_ONE_STATEMENT)
  }
  const statement = leadingStatement(sql)
  if (transactionControl.test(statement)) {
    throw new QueryError('Transaction control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT …) is not allowed: every run is one read-only transaction.', undefined, '25006')
  }
  if (readOnlySwitch.test(statement)) {
    throw new QueryError('Changing the transaction mode is not allowed: every run is one read-only transaction.', undefined, '25006')
  }
}
