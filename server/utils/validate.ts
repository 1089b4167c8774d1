// The one place a zod failure becomes a 400: `{ statusCode, message, data: { issues } }`
// where each issue names the field (dotted path) and the reason.
import type { H3Event } from 'h3'
import type { z } from 'zod'

export function badRequest(message: string, issues: { path: string, message: string }[] = []): never {
  throw createError({ statusCode: 400, message, data: { issues } })
}

export function parseOrBadRequest<Schema extends z.ZodType>(schema: Schema, input: unknown, what: string): z.infer<Schema> {
  const parsed = schema.safeParse(input)
  if (parsed.success) return parsed.data
  const issues = parsed.error.issues.map(issue => ({ path: issue.path.join('.') || '(root)', message: issue.message }))
  badRequest(`Invalid ${what}: ${issues.map(issue => `${issue.path}: ${issue.message}`).join('; ')}`, issues)
}

export async function readValidBody<Schema extends z.ZodType>(event: H3Event, schema: Schema): Promise<z.infer<Schema>> {
  let body: unknown
  try {
    body = await readRawJson(event)
  }
  catch {
    badRequest('Invalid request body: not valid JSON')
  }
  return parseOrBadRequest(schema, body, 'request body')
}

async function readRawJson(event: H3Event): Promise<unknown> {
  const text = await readRawBody(event, 'utf8')
  return text ? JSON.parse(text) : {}
}

export function readValidQuery<Schema extends z.ZodType>(event: H3Event, schema: Schema): z.infer<Schema> {
  return parseOrBadRequest(schema, getQuery(event), 'query string')
}

export function readValidParams<Schema extends z.ZodType>(event: H3Event, schema: Schema): z.infer<Schema> {
  return parseOrBadRequest(schema, getRouterParams(event, { decode: true }), 'path')
}
