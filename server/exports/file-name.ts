// An export's file name: the query's name and the run's finish time (UTC), for example
// `daily-outages-2026-12-01-0614.csv`, so downloads sort and say what they hold. An
// ad-hoc run has no name and is called `result`. The header carries a plain ASCII name
// and the exact UTF-8 one (RFC 6266 filename*), so accents survive where browsers allow.
import { eq } from 'drizzle-orm'
import { queries } from '../../db/schema'
import { useDb } from '../utils/db'

export function exportFileName(queryName: string | null, finishedAt: Date | null, extension: string): string {
  const base = (queryName ?? 'result').normalize('NFC').toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'result'
  const stamp = finishedAt ? `-${finishedAt.toISOString().slice(0, 16).replace('T', '-').replace(':', '')}` : ''
  return `${base}${stamp}.${extension}`
}

export function contentDisposition(fileName: string): string {
  const ascii = fileName.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`
}

export async function queryNameOf(queryId: string | null): Promise<string | null> {
  if (!queryId) return null
  const [query] = await useDb().select({ name: queries.name }).from(queries).where(eq(queries.id, queryId))
  return query?.name ?? null
}
