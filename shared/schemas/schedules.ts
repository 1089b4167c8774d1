// Request bodies for /api/schedules: one schema shared by the API and the editor.
import { z } from 'zod'
import { idSchema } from '../ids'
import { cronSchema, timezoneSchema } from '../schedules'

const paramsSchema = z.record(z.string(), z.unknown())

export const scheduleBody = z.object({
  queryId: idSchema.optional(),
  dashboardId: idSchema.optional(),
  cron: cronSchema,
  timezone: timezoneSchema,
  params: paramsSchema.optional(),
  enabled: z.boolean().default(true),
}).strict().superRefine((body, context) => {
  if (!body.queryId === !body.dashboardId) {
    context.addIssue({ code: 'custom', path: ['queryId'], message: 'give exactly one of queryId or dashboardId' })
  }
  if (body.dashboardId && body.params && Object.keys(body.params).length) {
    context.addIssue({ code: 'custom', path: ['params'], message: 'a dashboard schedule uses the dashboard\'s default filters; params apply to query schedules only' })
  }
})

export const schedulePatchBody = z.object({
  cron: cronSchema.optional(),
  timezone: timezoneSchema.optional(),
  params: paramsSchema.optional(),
  enabled: z.boolean().optional(),
}).strict()

export const schedulePreviewBody = z.object({
  cron: cronSchema,
  timezone: timezoneSchema,
  count: z.number().int().min(1).max(20).default(5),
  // the instant to preview from (default now), e.g. the eve of a DST change
  from: z.iso.datetime({ offset: true }).optional(),
}).strict()

export type ScheduleBody = z.infer<typeof scheduleBody>
export type SchedulePatchBody = z.infer<typeof schedulePatchBody>

export const scheduleListQuery = z.object({ queryId: idSchema.optional(), dashboardId: idSchema.optional() })

export const firingsQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) })
