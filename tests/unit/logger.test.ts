import { DrizzleQueryError } from 'drizzle-orm'
import { createError } from 'h3'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { logger } from '../../server/utils/logger'

const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g'
const EMAIL = 'someone@example.test'

// what node-postgres and drizzle throw when an insert of a new user fails in the database
function failedInsert() {
  const databaseError = Object.assign(new Error('new row for relation "users" violates check constraint "users_name_check"'), {
    code: '23514', table: 'users', constraint: 'users_name_check',
    detail: `Failing row contains (1, ${EMAIL}, Someone, ${HASH}).`,
  })
  return new DrizzleQueryError('insert into "users" ("email", "name", "password_hash") values ($1, $2, $3)', [EMAIL, 'Someone', HASH], databaseError)
}

function captureLines() {
  const lines: string[] = []
  vi.spyOn(console, 'error').mockImplementation(line => lines.push(String(line)))
  vi.spyOn(console, 'log').mockImplementation(line => lines.push(String(line)))
  return lines
}

afterEach(() => vi.restoreAllMocks())

describe('logging a failed metadata query', () => {
  it('keeps the query, the SQLSTATE and the constraint, and drops every bound value', () => {
    const lines = captureLines()
    const error = failedInsert()
    // the shapes callers use: the error itself, its stack as a string, nested in other fields
    logger.error('request failed', { error })
    logger.error('run job failed', { error: String(error.stack) })
    logger.warn('tile refresh failed', { error: String(error), context: { cause: error.cause } })
    // what a route's unexpected error reaches the error handler as (its toJSON drops the cause)
    logger.error('request failed', { error: createError(error) })
    expect(lines).toHaveLength(4)
    for (const line of lines) {
      expect(line).not.toContain(HASH)
      expect(line).not.toContain(EMAIL)
      expect(line).not.toContain('Failing row')
      expect(line).not.toContain('params:')
      expect(line).toContain('insert into')
    }
    expect(JSON.parse(lines[0]!).error).toMatchObject({ name: 'DrizzleQueryError', cause: { code: '23514', table: 'users', constraint: 'users_name_check' } })
    expect(JSON.parse(lines[3]!).error).toMatchObject({ name: 'H3Error', statusCode: 500, cause: { constraint: 'users_name_check' } })
  })

  it('leaves other messages as they are', () => {
    const lines = captureLines()
    logger.info('run finished', { runId: 'r1', note: 'params: are words too' })
    expect(JSON.parse(lines[0]!)).toMatchObject({ message: 'run finished', runId: 'r1', note: 'params: are words too' })
  })
})
