// Builds the OpenAPI 3.1 document served at /api/openapi.json from the route table in
// operations.ts: request bodies, query strings and path parameters are the zod schemas
// the routes validate with, turned into JSON Schema 2020-12 (OpenAPI 3.1's own dialect)
// by zod itself. Built once per process; it changes only with the code.
import { z } from 'zod'
import { actionRoles } from '#shared/roles'
import { SESSION_COOKIE } from '../auth/sessions'
import { apiOperations, type ApiOperation } from './operations'

type JsonSchema = Record<string, unknown>

/** What a client may send (`io: 'input'`: a field with a default is optional), without the dialect line the document declares once. */
export function requestJsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: 'input' }) as JsonSchema
  return json
}

function accessText(access: ApiOperation['access']): string {
  if (access === 'public') return 'No sign-in needed.'
  if (access === 'member') return 'Any member of the org (viewer and up).'
  return `Needs the ${actionRoles[access]} role (\`${access}\`).`
}

interface Parameter { name: string, in: 'path' | 'query', required: boolean, schema: JsonSchema, style?: string, explode?: boolean, description?: string }

function pathParameters(path: string, params: z.ZodType | undefined): Parameter[] {
  const properties = (params ? requestJsonSchema(params).properties : {}) as Record<string, JsonSchema> | undefined
  return [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name: name!, in: 'path', required: true, schema: properties?.[name!] ?? { type: 'string' } }))
}

function queryParameters(query: z.ZodType | undefined): Parameter[] {
  if (!query) return []
  const json = requestJsonSchema(query)
  const properties = json.properties as Record<string, JsonSchema> | undefined
  // a free-form query string (a dashboard's filter values, named after its filters)
  if (!properties) return [{ name: 'values', in: 'query', required: false, schema: json, style: 'form', explode: true, description: 'Any number of `name=value` pairs.' }]
  const required = new Set((json.required as string[] | undefined) ?? [])
  return Object.entries(properties).map(([name, schema]) => ({ name, in: 'query', required: required.has(name), schema }))
}

function successResponse(operation: ApiOperation): JsonSchema {
  const status = operation.status ?? 200
  if (status === 204) return { description: 'Done; no body.' }
  const contentType = operation.produces ?? 'application/json'
  return {
    description: status === 201 ? 'Created.' : status === 202 ? 'Accepted.' : 'OK.',
    content: { [contentType]: { schema: contentType === 'application/json' ? {} : { type: 'string' } } },
  }
}

function operationObject(key: string, operation: ApiOperation): JsonSchema {
  const [method, path] = key.split(' ') as [string, string]
  return {
    operationId: `${method.toLowerCase()}${path.replace(/^\/api/, '').replace(/[^A-Za-z0-9]+(\w)?/g, (_, next: string | undefined) => next?.toUpperCase() ?? '')}`,
    summary: operation.summary,
    description: [operation.description, accessText(operation.access)].filter(Boolean).join('\n\n'),
    tags: [path.split('/')[2]!.replace(/\..*$/, '')],
    'x-tessera-access': operation.access,
    ...(operation.access === 'public' ? { security: [] } : {}),
    parameters: [...pathParameters(path, operation.params), ...queryParameters(operation.query)],
    ...(operation.body ? { requestBody: { required: true, content: { 'application/json': { schema: requestJsonSchema(operation.body) } } } } : {}),
    responses: {
      [String(operation.status ?? 200)]: successResponse(operation),
      '4XX': { $ref: '#/components/responses/Error' },
    },
  }
}

function buildDocument(): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {}
  for (const [key, operation] of Object.entries(apiOperations)) {
    const [method, path] = key.split(' ') as [string, string]
    paths[path] ??= {}
    paths[path][method.toLowerCase()] = operationObject(key, operation)
  }
  return {
    openapi: '3.1.1',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Tessera API',
      version: '1',
      description: 'JSON over HTTP under /api. Send a session cookie (from POST /api/auth/login) or `Authorization: Bearer <API token>`. Ids are strings, times ISO 8601 UTC. Errors are `{ statusCode, message, data? }`, with the fields at fault in `data.issues` for a 400.',
    },
    security: [{ bearerToken: [] }, { sessionCookie: [] }],
    paths,
    components: {
      securitySchemes: {
        bearerToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'tsr_…',
          description: 'An API token made on the Settings page: `Authorization: Bearer tsr_…`. A `read` token may only GET; a token never has more than its owner and stops working when revoked, expired, or its owner is removed or demoted.',
        },
        sessionCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: SESSION_COOKIE,
          description: 'The browser session set by POST /api/auth/login. Changes made with it must come from Tessera\'s own pages (Sec-Fetch-Site or Origin); scripts use a token.',
        },
      },
      responses: {
        Error: {
          description: 'Refused: 400 bad input (the fields in `data.issues`), 401 not signed in, 403 not allowed, 404 not found (also for another org\'s ids), 409 conflict, 429 too many requests.',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['statusCode', 'message'],
                properties: {
                  statusCode: { type: 'integer' },
                  message: { type: 'string' },
                  data: { type: 'object', properties: { issues: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } } } },
                },
              },
            },
          },
        },
      },
    },
  }
}

let built: JsonSchema | undefined

export function openApiDocument(): JsonSchema {
  built ??= buildDocument()
  return built
}
