// Enqueueing runs (docs/ARCHITECTURE.md): validate the parameter values, resolve relative dates in
// the org's (or the schedule's) timezone, compile {{placeholders}} to bound $n, clamp the
// limits, then answer from a fresh cached result or join an identical queued/running run
// (plain reads), or — in ONE transaction holding an advisory lock on the cache key —
// answer or join one that appeared since, or insert the run and send its job. Inserting
// the row and sending the job share the transaction, so a rollback leaves neither. The
// web process never executes user SQL: this only queues it.
import { createHash } from 'node:crypto'
import { and, desc, eq, gt, inArray, sql, type Placeholder } from 'drizzle-orm'
import { fromDrizzle } from 'pg-boss'
import { datasources, orgs, results, runs, type Run, type RunLimits } from '../../db/schema'
import { compileSql, type CompiledSql } from '#shared/parameters/compile'
import { isValidTimezone } from '#shared/parameters/relative-dates'
import { ParameterError, type ParameterDefinition } from '#shared/parameters/types'
import { resolveParameterValues } from '#shared/parameters/values'
import type { RunTrigger } from '#shared/runs'
import type { ResultSort, RunOptions } from '#shared/schemas/queries'
import { queryEnumChoices } from '../queries/enum-values'
import { useBoss } from '../queue/boss'
import { preparedRead, useDb } from '../utils/db'
import { findInOrg, notFoundInOrg } from '../utils/org-objects'
import { logger } from '../utils/logger'
import { checkOneStatement } from '../connectors/postgres-statement'
import { QueryError } from '../connectors/types'
import { RunInputError } from './errors'
import { maxAgeSecondsFor, runLimitsFor } from './limits'
import { enforceRunQuota } from './quotas'
import { RUN_QUEUE, type RunJobData } from '../queue/queues'
import { sortedSql } from '#shared/sorted-run'
import { recordRunStarted } from '../audit/runs'


export interface EnqueueResult {
  run: Run
  // answered from a fresh stored result: no new run, no job
  cached: boolean
  // an identical run was already queued or running: this is that run
  joined: boolean
}

export interface EnqueueQueryRunInput {
  orgId: string
  queryId: string
  params?: Record<string, unknown>
  trigger: RunTrigger
  triggeredBy?: string | null
  scheduleId?: string | null
  maxAgeSeconds?: number
  // IANA timezone for relative dates; default: the org's
  timezone?: string
  // the whole result sorted: the query wrapped in ORDER BY (shared/sorted-run.ts)
  sort?: ResultSort
  // the API token the caller used, for the run's audit row
  apiTokenId?: string | null
}

export interface EnqueueAdhocRunInput {
  orgId: string
  datasourceId: string
  sql: string
  parameters?: ParameterDefinition[]
  params?: Record<string, unknown>
  options?: RunOptions
  trigger: RunTrigger
  triggeredBy?: string | null
  sort?: ResultSort
  apiTokenId?: string | null
}

/** sha256 over everything that decides a result: where, what SQL, which values, which limits. */
export function runCacheKey(datasourceId: string, compiledSql: string, bindValues: unknown[], limits: RunLimits): string {
  return createHash('sha256')
    .update(JSON.stringify([datasourceId, compiledSql, bindValues, [limits.timeoutMs, limits.maxRows, limits.maxBytes]]))
    .digest('hex')
}

const timezoneOfOrg = preparedRead('timezone_of_org', (db, name) => db.select({ timezone: orgs.timezone }).from(orgs)
  .where(eq(orgs.id, sql.placeholder('orgId')))
  .prepare(name))

export async function orgTimezone(orgId: string): Promise<string> {
  const [org] = await timezoneOfOrg().execute({ orgId })
  return org?.timezone ?? 'UTC'
}

async function allowedEnumValues(orgId: string, parameters: readonly ParameterDefinition[]): Promise<Record<string, string[]>> {
  const allowed: Record<string, string[]> = {}
  for (const definition of parameters) {
    if (definition.type !== 'query_enum' || !definition.queryId) continue
    const choices = await queryEnumChoices(orgId, definition.queryId)
    // a source query that never ran has no list yet: any text is accepted (it is bound, never spliced)
    if (choices?.runId) allowed[definition.name] = choices.values
  }
  return allowed
}

/** Values validated and resolved, SQL compiled; parameter problems become a RunInputError (400). */
export async function prepareRunSql(orgId: string, userSql: string, parameters: readonly ParameterDefinition[], params: Record<string, unknown> | undefined, timezone: string): Promise<CompiledSql> {
  if (!isValidTimezone(timezone)) throw new RunInputError(`Unknown timezone "${timezone}"`, [{ path: 'timezone', message: 'must be an IANA timezone such as America/Toronto' }])
  try {
    const allowedValues = await allowedEnumValues(orgId, parameters)
    const values = resolveParameterValues(parameters, params, { timezone, now: new Date(), allowedValues })
    const compiled = compileSql(userSql, parameters, values)
    // refused here, before a run or an estimate is queued: the worker checks again
    checkOneStatement(compiled.sql)
    return compiled
  }
  catch (error) {
    if (error instanceof ParameterError) throw new RunInputError(error.message, error.issues)
    if (error instanceof QueryError) throw new RunInputError(error.message, [{ path: 'sql', message: error.message }])
    throw error
  }
}

interface NewRun {
  orgId: string
  datasourceId: string
  queryId: string | null
  queryVersion: number | null
  sql: string
  bindValues: unknown[]
  params: Record<string, unknown>
  limits: RunLimits
  trigger: RunTrigger
  triggeredBy: string | null
  scheduleId: string | null
}

/** A run request validated and compiled, its cache key computed: what enqueueing decides on. */
export interface PreparedRun {
  values: NewRun
  cacheKey: string
  maxAgeSeconds: number
  apiTokenId?: string | null
}

function preparedRun(values: NewRun, maxAgeSeconds: number, apiTokenId?: string | null): PreparedRun {
  return { values, cacheKey: runCacheKey(values.datasourceId, values.sql, values.bindValues, values.limits), maxAgeSeconds, apiTokenId }
}

/** The single-flight core: cached, joined, or inserted together with its job. */
export async function enqueuePrepared(prepared: PreparedRun): Promise<EnqueueResult> {
  return await existingRunFor(prepared) ?? await enqueueNewRun(prepared)
}

/**
 * For a request whose plain reads (existingRunFor) found nothing: the transaction, which
 * still answers or joins a run that appeared since, or inserts the run and sends its job.
 */
export async function enqueueNewRun(prepared: PreparedRun): Promise<EnqueueResult> {
  return (await enqueueAndRecord(prepared, 'wait'))!
}

/**
 * enqueueNewRun for a caller that does not need the answer now (a dashboard's background
 * refresh): when the same request is being enqueued elsewhere at this moment (its lock is
 * held), it does not wait holding a pooled connection but leaves it to that one: null.
 */
export function enqueueNewRunUnlessUnderWay(prepared: PreparedRun): Promise<EnqueueResult | null> {
  return enqueueAndRecord(prepared, 'skip')
}

async function enqueueAndRecord(prepared: PreparedRun, whenLocked: 'wait' | 'skip'): Promise<EnqueueResult | null> {
  const enqueued = await enqueueInTransaction(prepared, whenLocked)
  // after the commit: a failed audit write must not roll back a run whose job is sent
  if (enqueued && !enqueued.cached && !enqueued.joined) await recordRunStarted(enqueued.run, prepared.apiTokenId)
  return enqueued
}

// the two reads below run inside the enqueue transaction with values, and before it (on
// every tile of every dashboard view) as prepared statements with placeholders
type Value<T> = T | Placeholder
type Reader = Pick<ReturnType<typeof useDb>, 'select'>

/** The latest succeeded run with this cache key, finished within `maxAgeSeconds` and its result not expired. */
function selectFreshRun(db: Reader, orgId: Value<string>, cacheKey: Value<string>, maxAgeSeconds: Value<number>) {
  return db.select({ run: runs }).from(runs)
    .innerJoin(results, eq(results.runId, runs.id))
    .where(and(
      eq(runs.cacheKey, cacheKey),
      eq(runs.orgId, orgId),
      eq(runs.status, 'succeeded'),
      gt(runs.finishedAt, sql`now() - make_interval(secs => ${maxAgeSeconds})`),
      gt(results.expiresAt, sql`now()`),
    ))
    .orderBy(desc(runs.finishedAt)).limit(1)
}

/** The latest queued or running run with this cache key. */
function selectInFlightRun(db: Reader, orgId: Value<string>, cacheKey: Value<string>) {
  return db.select().from(runs)
    .where(and(eq(runs.cacheKey, cacheKey), eq(runs.orgId, orgId), inArray(runs.status, ['queued', 'running'])))
    .orderBy(desc(runs.queuedAt)).limit(1)
}

const freshRunRead = preparedRead('fresh_run', (db, name) =>
  selectFreshRun(db, sql.placeholder('orgId'), sql.placeholder('cacheKey'), sql.placeholder('maxAgeSeconds')).prepare(name))
const inFlightRunRead = preparedRead('in_flight_run', (db, name) =>
  selectInFlightRun(db, sql.placeholder('orgId'), sql.placeholder('cacheKey')).prepare(name))

/**
 * A fresh result, or an identical run under way, found by plain reads; null when neither
 * was (a run is to be started, or one ended between the two reads: the transaction decides).
 */
export async function existingRunFor({ values, cacheKey, maxAgeSeconds }: PreparedRun): Promise<EnqueueResult | null> {
  // No transaction and no lock: nothing is inserted, so there is no race to guard. A
  // cached answer (a dashboard's tiles, a repeated request) costs one query instead of
  // five round trips, and viewers of a stale dashboard on another web process join the
  // runs the first one started instead of queueing on its locks.
  const keys = { orgId: values.orgId, cacheKey }
  if (maxAgeSeconds > 0) {
    const [fresh] = await freshRunRead().execute({ ...keys, maxAgeSeconds })
    if (fresh) return { run: fresh.run, cached: true, joined: false }
  }
  const [underWay] = await inFlightRunRead().execute(keys)
  return underWay ? { run: underWay, cached: false, joined: true } : null
}

async function enqueueInTransaction({ values, cacheKey, maxAgeSeconds }: PreparedRun, whenLocked: 'wait' | 'skip'): Promise<EnqueueResult | null> {
  const boss = await useBoss()
  return useDb().transaction(async (tx) => {
    // identical requests serialize here, so two of them never both insert a run
    if (whenLocked === 'skip') {
      const { rows: [lock] } = await tx.execute<{ locked: boolean }>(sql`SELECT pg_try_advisory_xact_lock(hashtextextended(${cacheKey}, 0)) AS locked`)
      if (!lock?.locked) return null
    }
    else await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${cacheKey}, 0))`)
    // In-flight runs are read BEFORE fresh results: each statement sees its own snapshot, so
    // a run that succeeds between the two reads is seen by the second, never missed by both
    // (read the other way round, it was neither fresh yet nor in flight any more, and a
    // second run started)
    const [inFlight] = await selectInFlightRun(tx, values.orgId, cacheKey)
    if (maxAgeSeconds > 0) {
      const [fresh] = await selectFreshRun(tx, values.orgId, cacheKey, maxAgeSeconds)
      if (fresh) return { run: fresh.run, cached: true, joined: false }
    }
    if (inFlight) return { run: inFlight, cached: false, joined: true }
    await enforceRunQuota(tx, values)
    const [run] = await tx.insert(runs).values({ ...values, cacheKey, status: 'queued' }).returning()
    const job: RunJobData = { runId: run!.id }
    await boss.send(RUN_QUEUE, job, { db: fromDrizzle(tx, sql) })
    logger.info('run queued', { runId: run!.id, queryId: values.queryId, datasourceId: values.datasourceId, trigger: values.trigger })
    return { run: run!, cached: false, joined: false }
  })
}

export async function enqueueQueryRun(input: EnqueueQueryRunInput): Promise<EnqueueResult> {
  return enqueuePrepared(await prepareQueryRun(input))
}

/** A saved query's run request validated and compiled (parameter problems throw RunInputError), not yet enqueued. */
export async function prepareQueryRun(input: EnqueueQueryRunInput): Promise<PreparedRun> {
  const query = await findInOrg('query', input.orgId, input.queryId)
  const parameters = query.parameters
  const options = query.options
  const timezone = input.timezone ?? await orgTimezone(input.orgId)
  const prepared = await prepareRunSql(input.orgId, query.sql, parameters, input.params, timezone)
  return preparedRun({
    orgId: input.orgId,
    datasourceId: query.datasourceId,
    queryId: query.id,
    queryVersion: query.version,
    sql: input.sort ? sortedSql(prepared.sql, input.sort) : prepared.sql,
    bindValues: prepared.bindValues,
    params: input.params ?? {},
    limits: runLimitsFor(options),
    trigger: input.trigger,
    triggeredBy: input.triggeredBy ?? null,
    scheduleId: input.scheduleId ?? null,
  }, maxAgeSecondsFor(options, input.maxAgeSeconds), input.apiTokenId)
}

export async function enqueueAdhocRun(input: EnqueueAdhocRunInput): Promise<EnqueueResult> {
  const [datasource] = await useDb().select({ id: datasources.id }).from(datasources)
    .where(and(eq(datasources.id, input.datasourceId), eq(datasources.orgId, input.orgId)))
  if (!datasource) notFoundInOrg('datasource')
  const prepared = await prepareRunSql(input.orgId, input.sql, input.parameters ?? [], input.params, await orgTimezone(input.orgId))
  return enqueuePrepared(preparedRun({
    orgId: input.orgId,
    datasourceId: datasource.id,
    queryId: null,
    queryVersion: null,
    sql: input.sort ? sortedSql(prepared.sql, input.sort) : prepared.sql,
    bindValues: prepared.bindValues,
    params: input.params ?? {},
    limits: runLimitsFor(undefined, input.options),
    trigger: input.trigger,
    triggeredBy: input.triggeredBy ?? null,
    scheduleId: null,
  }, maxAgeSecondsFor(undefined, input.options?.maxAgeSeconds), input.apiTokenId))
}
