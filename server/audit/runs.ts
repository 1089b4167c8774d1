// The audit row of a started run, written where runs are enqueued so every way in (the
// editor, the API, a dashboard, a schedule) leaves one. The parameter values are not
// recorded, only a SHA-256 over them: enough to tell two runs' values apart or equal,
// never enough to read a customer's id back out of the log.
import { createHash } from 'node:crypto'
import type { Run } from '../../db/schema'
import { recordAudit, type AuditActor } from './record'

type StartedRun = Pick<Run, 'id' | 'orgId' | 'datasourceId' | 'queryId' | 'params' | 'trigger' | 'triggeredBy' | 'scheduleId'>

/** JSON with object keys sorted, so equal values hash equal whatever order they came in. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

export function parameterValuesHash(params: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson(params)).digest('hex')
}

function runActor(run: StartedRun, apiTokenId: string | null | undefined): AuditActor {
  if (run.scheduleId) return { type: 'schedule', scheduleId: run.scheduleId }
  if (apiTokenId) return { type: 'token', userId: run.triggeredBy, apiTokenId }
  return { type: 'user', userId: run.triggeredBy }
}

export async function recordRunStarted(run: StartedRun, apiTokenId?: string | null): Promise<void> {
  await recordAudit({
    orgId: run.orgId,
    actor: runActor(run, apiTokenId),
    action: 'run.start',
    targetType: 'run',
    targetId: run.id,
    details: {
      trigger: run.trigger,
      queryId: run.queryId,
      datasourceId: run.datasourceId,
      parametersSha256: parameterValuesHash(run.params),
    },
  })
}
