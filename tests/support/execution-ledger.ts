// Counts executions of run SQL from outside the run: the SQL calls ledger_mark(marker,
// phase), which writes through dblink into a separate ledger database. The run's
// read-only transaction cannot write there itself, and a killed or rolled-back run cannot
// take its marks back, so the ledger says how many times each statement really started
// and reached its end, whatever happened to the worker.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { inject } from 'vitest'
import { queryDatabase } from './database'

export interface ExecutionLedger {
  // a SELECT that marks 'start', sleeps (firstSeconds on its first execution, laterSeconds
  // on any later one), then marks 'end'
  sleepingSql(marker: string, firstSeconds: number, laterSeconds?: number): string
  count(marker: string, phase: 'start' | 'end'): Promise<number>
  close(): Promise<void>
}

export async function createExecutionLedger(sourceDatabaseUrl: string): Promise<ExecutionLedger> {
  const serverUrl = new URL(inject('postgresServerUrl'))
  const name = `ledger_${randomBytes(5).toString('hex')}`
  await queryDatabase(serverUrl.toString(), `CREATE DATABASE ${name}`)
  const ledgerUrl = new URL(serverUrl)
  ledgerUrl.pathname = `/${name}`
  await queryDatabase(ledgerUrl.toString(), `CREATE TABLE marks (marker text NOT NULL, phase text NOT NULL, pid int NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())`)
  const connection = `host=${serverUrl.hostname} port=${serverUrl.port} dbname=${name} user=${decodeURIComponent(serverUrl.username)} password=${decodeURIComponent(serverUrl.password)}`
  await queryDatabase(sourceDatabaseUrl, `CREATE EXTENSION IF NOT EXISTS dblink`)
  // SECURITY DEFINER: whatever role the datasource uses, the mark is written as the owner
  await queryDatabase(sourceDatabaseUrl, `
    CREATE OR REPLACE FUNCTION ledger_mark(marker text, phase text) RETURNS int LANGUAGE sql SECURITY DEFINER AS $$
      -- the mark's ordinal: 1 the first time this marker reaches this phase, 2 the second, ...
      SELECT ordinal FROM dblink('${connection}', format(
        'WITH mark AS (INSERT INTO marks (marker, phase, pid) VALUES (%L, %L, %s) RETURNING 1) SELECT (SELECT count(*) FROM marks WHERE marker = %L AND phase = %L)::int + 1',
        marker, phase, pg_backend_pid(), marker, phase)) AS mark(ordinal int)
    $$`)
  await queryDatabase(sourceDatabaseUrl, `GRANT EXECUTE ON FUNCTION ledger_mark(text, text) TO PUBLIC`)
  const reader = new pg.Client({ connectionString: ledgerUrl.toString() })
  await reader.connect()
  return {
    sleepingSql: (marker, firstSeconds, laterSeconds = firstSeconds) =>
      `SELECT pg_sleep(CASE WHEN ledger_mark('${marker}', 'start') = 1 THEN ${firstSeconds} ELSE ${laterSeconds} END) AS slept, ledger_mark('${marker}', 'end') AS ended`,
    async count(marker, phase) {
      const { rows } = await reader.query<{ n: number }>(`SELECT count(*)::int AS n FROM marks WHERE marker = $1 AND phase = $2`, [marker, phase])
      return rows[0]!.n
    },
    close: () => reader.end(),
  }
}

/** Backends of Tessera runs still on this database. */
export async function runBackendsLeft(databaseUrl: string): Promise<number> {
  const { rows } = await queryDatabase(databaseUrl, `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE 'tessera-run-%' AND datname = current_database()`)
  return rows[0].n
}
