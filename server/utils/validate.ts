// The one place a zod failure becomes a 400: `{ statusCode, message, data: { issues } }`
// where each issue names the field (dotted path) and the reason. Every input is first
// checked for NUL characters, lone surrogates and deep nesting (requests/input-shape.ts),
// so no schema, and nothing after it, ever sees those.
import type { H3Event } from 'h3'
import type { z } from 'zod'
import { inputShapeIssues } from '../requests/input-shape'

export function badRequest(message: string, issues: { path: string, message: string }[] = []): never {
  throw createError({ statusCode: 400, message, data: { issues } })
}

function describe(what: string, issues: { path: string, message: string }[]): string {
  return `Invalid ${what}: ${issues.map(issue => `${issue.path}: ${issue.message}`).join('; ')}`
}

export function parseOrBadRequest<Schema extends z.ZodType>(schema: Schema, input: unknown, what: string): z.infer<Schema> {
  const shapeIssues = inputShapeIssues(input)
  if (shapeIssues.length > 0) badRequest(describe(what, shapeIssues), shapeIssues)
  const parsed = schema.safeParse(input)
  if (parsed.success) return parsed.data
  const issues = parsed.error.issues.map(issue => ({ path: issue.path.join('.') || '(root)', message: issue.message }))
  badRequest(describe(what, issues), issues)
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
