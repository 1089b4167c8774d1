// Visualizations of a query's result: stored configs only. Rendering is the page's job.
import { and, asc, eq } from 'drizzle-orm'
import { visualizations } from '../../db/schema'
import type { VisualizationType } from '#shared/schemas/visualizations'
import { parseVisualizationConfig } from '#shared/schemas/visualizations'
import { useDb } from '../utils/db'
import { findInOrg } from '../utils/org-objects'
import { badRequest } from '../utils/validate'

export function listVisualizations(orgId: string, queryId: string) {
  return useDb().select().from(visualizations)
    .where(and(eq(visualizations.orgId, orgId), eq(visualizations.queryId, queryId)))
    .orderBy(asc(visualizations.createdAt))
}

export async function updateVisualization(orgId: string, id: string, patch: { name?: string, type?: VisualizationType, config?: Record<string, unknown> }) {
  const db = useDb()
  const current = await findInOrg('visualization', orgId, id)
  // a type change alone must still leave a config valid for the new type
  if (patch.type && !patch.config) {
    const parsed = parseVisualizationConfig(patch.type, current.config)
    if (!parsed.success) badRequest('The current config does not fit the new type; send a config too', [{ path: 'config', message: `required when changing type to ${patch.type}` }])
  }
  const [updated] = await db.update(visualizations).set({ ...patch, updatedAt: new Date() })
    .where(and(eq(visualizations.orgId, orgId), eq(visualizations.id, id)))
    .returning()
  return updated!
}
