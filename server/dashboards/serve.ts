// Serves a dashboard view: for every tile, the latest fresh result of its (query, bound
// parameters), or the run refreshing it plus the last good result to show meanwhile.
// Stale or missing results are enqueued through the engine, whose cache answers fresh
// ones without a run and whose single flight joins a refresh already under way, so many
// viewers opening the same dashboard start one run per tile. A view waits only briefly
// for a refresh to be queued (refresh-queueing.ts): past that the tile is served with its
// last good result and `refreshQueued`, and the page reads the view again to find the run.
// A tile whose query reads a datasource hidden from the viewer is served as "no access":
// its place on the grid and nothing else, and no run is started for it.
import type { Run } from '../../db/schema'
import type { ServedTileOf } from '#shared/dashboards/served'
import { existingRunFor, orgTimezone, prepareQueryRun, type PreparedRun } from '../runs/enqueue'
import { toRunSummary, type RunSummary } from '../runs/public'
import { logger } from '../utils/logger'
import type { Dashboard, FilterValues, TileTarget } from './tiles'
import { loadTileTargets } from './tiles'
import { QUEUE_WAIT_MS, queueRefresh, settledWithin } from './refresh-queueing'
import { previousResult, readTileResult } from './tile-results'
import { accessFingerprint, canReach, type DatasourceAccess } from '../access/check'


export type TileRunSummary = RunSummary

export type ServedTile = ServedTileOf<TileRunSummary>

export interface DashboardView {
  orgId: string
  userId: string
  // the viewer's: tiles on datasources it does not reach are served as "no access"
  access: DatasourceAccess
  dashboard: Dashboard
  values: FilterValues
}

function noAccessTile(target: TileTarget): ServedTile {
  return { ...target.tile, bindings: {}, params: {}, visualization: null, noAccess: true, run: null, refreshQueued: false, result: null, error: null }
}

async function serveTargets(orgId: string, userId: string, access: DatasourceAccess, targets: TileTarget[]): Promise<ServedTile[]> {
  const answers = new Map<string, Promise<TileAnswer>>()
  // read once per view, and only when a tile is not answered from this process's memory
  let timezone: Promise<string> | undefined
  const viewer: Viewer = { orgId, userId, timezone: () => timezone ??= orgTimezone(orgId) }
  return Promise.all(targets.map(async (target) => {
    if (target.datasourceId && !canReach(access, target.datasourceId)) return noAccessTile(target)
    const base = {
      ...target.tile,
      noAccess: false,
      params: target.params,
      visualization: target.visualization && {
        id: target.visualization.id,
        name: target.visualization.name,
        type: target.visualization.type,
        config: target.visualization.config,
        queryId: target.visualization.queryId,
        queryName: target.queryName ?? '',
      },
    }
    if (!target.visualization || !target.targetKey) {
      return { ...base, run: null, refreshQueued: false, result: null, error: target.tile.visualizationId ? 'The visualization of this tile was deleted' : null }
    }
    let answer = answers.get(target.targetKey)
    if (!answer) {
      answer = answerTarget(viewer, target)
      answers.set(target.targetKey, answer)
    }
    return { ...base, ...(await answer) }
  }))
}

type TileAnswer = Pick<ServedTile, 'run' | 'refreshQueued' | 'result' | 'error'>

interface Viewer {
  orgId: string
  userId: string
  timezone: () => Promise<string>
}

// Concurrent views in this process share one answer per (org, query version, params),
// and a fresh answer is reused for a few seconds: the engine's cache and single flight
// hold across processes, this saves them the round trips when a hundred viewers look.
// A result served this way is at most FRESH_ANSWER_MS older than the engine would say.
const FRESH_ANSWER_MS = 5000
const answersInFlight = new Map<string, Promise<TileAnswer>>()
const freshAnswers = new Map<string, { answer: TileAnswer, until: number }>()

function answerTarget(viewer: Viewer, target: TileTarget): Promise<TileAnswer> {
  const key = `${viewer.orgId}:${target.targetKey}`
  const recent = freshAnswers.get(key)
  if (recent && recent.until > Date.now()) return Promise.resolve(recent.answer)
  let answer = answersInFlight.get(key)
  if (!answer) {
    answer = computeAnswer(viewer, target)
      .then((computed) => {
        if (computed.run?.status === 'succeeded' && computed.result) rememberFreshAnswer(key, computed)
        return computed
      })
      .finally(() => answersInFlight.delete(key))
    answersInFlight.set(key, answer)
  }
  return answer
}

function rememberFreshAnswer(key: string, answer: TileAnswer): void {
  const now = Date.now()
  if (freshAnswers.size >= 2000) {
    for (const [oldKey, entry] of freshAnswers) if (entry.until <= now || freshAnswers.size >= 2000) freshAnswers.delete(oldKey)
  }
  freshAnswers.set(key, { answer, until: now + FRESH_ANSWER_MS })
}

// after a forced refresh the next view must ask the engine again
export function forgetFreshAnswers(orgId: string): void {
  for (const key of freshAnswers.keys()) if (key.startsWith(`${orgId}:`)) freshAnswers.delete(key)
  for (const key of views.keys()) if (key.startsWith(`${orgId}:`)) views.delete(key)
}

// The serialized view of a dashboard whose tiles are all fresh, kept until the first of
// its answers stops being remembered: serializing a dozen results is the costly part of
// a view, and every viewer of the same filters gets the same bytes.
// Viewers who open the same view while it is being built wait for that one build: a
// hundred viewers arriving together cost one set of tile lookups and one serialization.
const views = new Map<string, { body: string, until: number }>()
const viewsInFlight = new Map<string, Promise<string>>()

export function serveDashboardJson(input: DashboardView): Promise<string> {
  // viewers who reach different datasources see different tiles: never each other's bytes
  const key = `${input.orgId}:${input.dashboard.id}:${input.dashboard.updatedAt.getTime()}:${JSON.stringify(Object.entries(input.values).sort())}:${accessFingerprint(input.access)}`
  const cached = views.get(key)
  if (cached && cached.until > Date.now()) return Promise.resolve(cached.body)
  let building = viewsInFlight.get(key)
  if (!building) {
    building = buildView(key, input).finally(() => viewsInFlight.delete(key))
    viewsInFlight.set(key, building)
  }
  return building
}

async function buildView(key: string, input: DashboardView): Promise<string> {
  const targets = await loadTileTargets(input.orgId, input.dashboard, input.values)
  const tiles = await serveTargets(input.orgId, input.userId, input.access, targets)
  const body = JSON.stringify({ ...input.dashboard, filterValues: input.values, tiles })
  const untils = targets.filter(target => target.targetKey && canReach(input.access, target.datasourceId!)).map(target => freshAnswers.get(`${input.orgId}:${target.targetKey}`)?.until ?? 0)
  const until = Math.min(Date.now() + FRESH_ANSWER_MS, ...untils)
  if (until > Date.now()) {
    if (views.size >= 500) views.clear()
    views.set(key, { body, until })
  }
  return body
}

async function computeAnswer(viewer: Viewer, target: TileTarget): Promise<TileAnswer> {
  const { orgId, userId } = viewer
  const queryId = target.visualization!.queryId
  let prepared: PreparedRun
  try {
    prepared = await prepareQueryRun({ orgId, queryId, params: target.params, trigger: 'dashboard', triggeredBy: userId, timezone: await viewer.timezone() })
  }
  catch (error) {
    return notQueued(orgId, queryId, error)
  }
  const existing = await existingRunFor(prepared)
  if (existing?.cached) return succeededAnswer(orgId, existing.run)
  // stale or missing: the last good result is read before the refresh is queued, so the
  // view's reads never wait for pooled connections behind queueing transactions
  const previous = await previousResult(orgId, prepared.cacheKey)
  // a run already under way is the refresh: nothing to queue, nothing to wait for
  const queued = existing ? { failed: false as const, value: existing } : await settledWithin(queueRefresh(orgId, prepared), QUEUE_WAIT_MS)
  if (queued.failed) return notQueued(orgId, queryId, queued.error)
  const run = queued.value?.run
  // the queueing transaction found a result that succeeded since the read above
  if (run?.status === 'succeeded') return succeededAnswer(orgId, run)
  return { run: run ? toRunSummary(run) : null, refreshQueued: !run, ...previous }
}

async function succeededAnswer(orgId: string, run: Run): Promise<TileAnswer> {
  return { run: toRunSummary(run), refreshQueued: false, result: await readTileResult(orgId, run), error: null }
}

// bad bound parameters (or a run quota reached) belong on the tile, not as a failure of
// the whole dashboard
function notQueued(orgId: string, queryId: string, error: unknown): TileAnswer {
  const message = (error as { statusMessage?: string, message?: string }).statusMessage ?? (error as Error).message
  logger.warn('dashboard tile could not be enqueued', { orgId, queryId, error: message })
  return { run: null, refreshQueued: false, result: null, error: message }
}
