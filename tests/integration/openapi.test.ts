import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { z } from 'zod'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiOperations } from '../../server/openapi/operations'
import { startApp, type RunningApp } from '../support/app'
import { API_ROOT, listApiRoutes, routeOfFile, type ApiRouteFile } from '../support/api-routes'
import { buildMember, buildOrg, TEST_PASSWORD } from '../support/builders'
import { useTestDatabase } from '../support/database'
import { ApiClient } from '../support/http'

const REPO_ROOT = join(import.meta.dirname, '../..')
const KINDS = { Body: 'body', Query: 'query', Params: 'params' } as const
type Kind = (typeof KINDS)[keyof typeof KINDS]

// Files that answer every method of any path no route has with a JSON 404: no operation
// of the API, so not in the document, but each must be named here.
const UNKNOWN_PATH_FALLBACKS = ['ANY /api', 'ANY /api/{...path}']

let app: RunningApp
let document: any
// the route files with a method: the API's operations
let routes: ApiRouteFile[]
let fallbacks: ApiRouteFile[]

beforeAll(async () => {
  const databaseUrl = await useTestDatabase()
  app = await startApp({ DATABASE_URL: databaseUrl, APP_ROLE: 'web' })
  const response = await new ApiClient(app.url).get('/api/openapi.json')
  expect(response.status).toBe(200)
  document = response.json
  const files = await listApiRoutes()
  routes = files.filter(route => route.method !== 'ANY')
  fallbacks = files.filter(route => route.method === 'ANY')
})
afterAll(() => app?.stop())

/** The schema as a client may send it, the way the brief of the document promises: zod's own JSON Schema. */
function zodJsonSchema(schema: z.ZodType) {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>
  return json
}

function resolveModule(specifier: string, fromFile: string): string | undefined {
  const base = specifier.startsWith('#shared/')
    ? join(REPO_ROOT, 'shared', specifier.slice('#shared/'.length))
    : specifier.startsWith('.') ? join(dirname(fromFile), specifier) : undefined
  if (!base) return undefined
  return [`${base}.ts`, join(base, 'index.ts')].find(existsSync)
}

interface FoundSchema { kind: Kind, name: string, schema: z.ZodType, where: string }

/**
 * The schema objects a source file passes to readValidBody / readValidQuery / readValidParams,
 * found by reading the file and importing what it imports them from. A schema written
 * inline, or defined in the route file, cannot be the document's: it must be imported.
 */
async function schemasValidatedIn(file: string): Promise<FoundSchema[]> {
  const source = await readFile(file, 'utf8')
  const where = relative(REPO_ROOT, file)
  const calls = [...source.matchAll(/readValid(Body|Query|Params)\(([^)]*)\)/g)]
  const found: FoundSchema[] = []
  for (const [call, kindName, args] of calls) {
    const name = args!.match(/^\s*event\s*,\s*([A-Za-z_$][\w$]*)\s*$/)?.[1]
    if (!name) throw new Error(`${where}: \`${call}\` must pass a schema imported by name, so the API document can show that very schema`)
    const imported = [...source.matchAll(/import\s*\{([^}]*)\}\s*from\s*'([^']+)'/g)]
      .find(([, names]) => names!.split(',').map(part => part.trim()).includes(name))
    if (!imported) throw new Error(`${where}: ${name} is not imported by name; define it in shared/schemas and import it`)
    const modulePath = resolveModule(imported[2]!, file)
    if (!modulePath) throw new Error(`${where}: cannot resolve ${imported[2]}`)
    const schema = (await import(modulePath))[name] as z.ZodType
    expect(schema, `${where}: ${name} from ${imported[2]}`).toBeInstanceOf(z.ZodType)
    found.push({ kind: KINDS[kindName as keyof typeof KINDS], name, schema, where })
  }
  return found
}

/** What a route validates with: in its own file, and in the server modules it imports that read the request for it. */
async function schemasOfRoute(route: ApiRouteFile): Promise<FoundSchema[]> {
  const file = join(API_ROOT, route.file)
  const found = await schemasValidatedIn(file)
  const source = await readFile(file, 'utf8')
  for (const [, specifier] of source.matchAll(/from\s*'(\.[^']+)'/g)) {
    const helper = resolveModule(specifier!, file)
    if (helper && !helper.includes('/server/utils/') && (await readFile(helper, 'utf8')).includes('readValid')) found.push(...await schemasValidatedIn(helper))
  }
  return found
}

function documented(route: ApiRouteFile) {
  return document.paths?.[route.path]?.[route.method.toLowerCase()]
}

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1, public, and documents the session cookie and bearer tokens', () => {
    expect(document.openapi).toMatch(/^3\.1\./)
    expect(document.components.securitySchemes.bearerToken).toMatchObject({ type: 'http', scheme: 'bearer' })
    expect(document.components.securitySchemes.sessionCookie).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'tessera_session' })
    expect(document.security).toEqual(expect.arrayContaining([{ bearerToken: [] }, { sessionCookie: [] }]))
    expect(documented(routeOfFile('auth/login.post.ts')).security).toEqual([])
    expect(documented(routeOfFile('queries/index.get.ts')).security).toBeUndefined()
  })

  it('documents every route file under server/api, and nothing else', () => {
    expect(fallbacks.map(route => route.key), 'route files without a method in their name answer unknown paths, and only those may').toEqual(UNKNOWN_PATH_FALLBACKS)
    const missing = routes.filter(route => !documented(route)).map(route => `${route.key} (server/api/${route.file})`)
    expect(missing, 'route files without an entry in server/openapi/operations.ts').toEqual([])
    const files = new Set(routes.map(route => route.key))
    const operations = Object.entries(document.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, methods]) => Object.keys(methods).map(method => `${method.toUpperCase()} ${path}`))
    expect(operations.filter(key => !files.has(key)), 'documented routes without a file').toEqual([])
    expect(operations).toHaveLength(routes.length)
  })

  it('names each route\'s path parameters, and gives each operation a summary and an id of its own', () => {
    const ids = new Set<string>()
    for (const route of routes) {
      const operation = documented(route)
      if (!operation) continue
      const names = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => name)
      expect(operation.parameters.filter((parameter: { in: string }) => parameter.in === 'path').map((parameter: { name: string }) => parameter.name), route.key).toEqual(names)
      expect(operation.summary, route.key).toBeTruthy()
      expect(ids.has(operation.operationId), `${route.key}: operationId ${operation.operationId} repeats`).toBe(false)
      ids.add(operation.operationId)
    }
  })

  it('lists for each route the very schema objects the route validates with', async () => {
    for (const route of routes) {
      const found = await schemasOfRoute(route)
      const operation = apiOperations[route.key]
      // a route without an entry fails the test above; here only the entries are compared
      if (!operation) continue
      for (const kind of Object.values(KINDS)) {
        const validated = found.filter(schema => schema.kind === kind)
        expect(validated.length, `${route.key} validates its ${kind} more than once`).toBeLessThanOrEqual(1)
        // toBe: the same object, not one that happens to look alike
        expect(operation[kind], `${route.key}: the ${kind} schema in operations.ts is not the one ${validated[0]?.where ?? 'the route'} validates with${validated[0] ? ` (${validated[0].name})` : ' (none)'}`).toBe(validated[0]?.schema)
      }
    }
  })

  it('documents each request body, query string and path parameter as z.toJSONSchema of the route\'s schema', async () => {
    let bodies = 0
    for (const route of routes) {
      const operation = documented(route)
      if (!operation) continue
      for (const { kind, schema, name } of await schemasOfRoute(route)) {
        const json = zodJsonSchema(schema)
        if (kind === 'body') {
          bodies++
          expect(operation.requestBody?.content?.['application/json']?.schema, `${route.key} body (${name})`).toEqual(json)
          continue
        }
        const place = kind === 'params' ? 'path' : 'query'
        const parameters = operation.parameters.filter((parameter: { in: string }) => parameter.in === place)
        if (!json.properties) {
          // a free-form query string: one parameter holding the whole schema
          expect(parameters.map((parameter: { schema: unknown }) => parameter.schema), `${route.key} ${kind} (${name})`).toEqual([json])
          continue
        }
        const required = new Set((json.required as string[] | undefined) ?? [])
        const properties = Object.entries(json.properties as Record<string, unknown>)
        if (kind === 'query') {
          expect(parameters.map((parameter: { name: string }) => parameter.name), `${route.key} query (${name})`).toEqual(properties.map(([property]) => property))
        }
        for (const [property, propertySchema] of properties) {
          const parameter = parameters.find((candidate: { name: string }) => candidate.name === property)
          expect(parameter, `${route.key} ${place} parameter ${property}`).toBeDefined()
          expect(parameter.schema, `${route.key} ${place} parameter ${property}`).toEqual(propertySchema)
          expect(parameter.required, `${route.key} ${place} parameter ${property} required`).toBe(kind === 'params' || required.has(property))
        }
      }
      if (!(await schemasOfRoute(route)).some(schema => schema.kind === 'body')) {
        expect(operation.requestBody, `${route.key} documents a body it never reads`).toBeUndefined()
      }
    }
    expect(bodies).toBeGreaterThan(20)
  })

  it('is served to anonymous callers, signed-in users and tokens alike', async () => {
    const org = await buildOrg()
    const member = await buildMember(org.id, 'viewer')
    const client = new ApiClient(app.url)
    await client.login(member.email, TEST_PASSWORD)
    expect((await client.get('/api/openapi.json')).json).toEqual(document)
    const token = (await client.post('/api/tokens', { name: 'docs', scope: 'read' })).json.token as string
    expect((await new ApiClient(app.url).get('/api/openapi.json', { authorization: `Bearer ${token}` })).json).toEqual(document)
  })
})
