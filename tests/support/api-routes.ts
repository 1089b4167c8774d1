// The API's routes as the files under server/api name them, for the tests that must
// cover every route (the OpenAPI document, the permission matrix): a file added there
// shows up here without anyone listing it.
import { readdir } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'

export const API_ROOT = join(import.meta.dirname, '../../server/api')

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete' | 'head' | 'options'

export interface ApiRouteFile {
  // relative to server/api, with forward slashes
  file: string
  // ANY: a file without a method in its name answers every method (the unknown-path 404s)
  method: Uppercase<Method> | 'ANY'
  // OpenAPI style: `/api/queries/{id}/runs`
  path: string
  // `METHOD path`, the key of server/openapi/operations.ts
  key: string
}

/**
 * `queries/[id]/runs.post.ts` → `POST /api/queries/{id}/runs`; an `index` file names its
 * folder; `[...].ts` (no method) → `ANY /api/{...path}`.
 */
export function routeOfFile(file: string): ApiRouteFile {
  const match = file.match(/^(.*?)(?:(?:^|\/)index)?(?:\.(get|post|put|patch|delete|head|options))?\.ts$/)
  const [, route, method] = match as unknown as [string, string, Method | undefined]
  const path = `/api${route ? `/${route}` : ''}`.replace(/\[\.\.\.(\w*)\]/g, (_, name: string) => `{...${name || 'path'}}`).replace(/\[(\w+)\]/g, '{$1}')
  const upper = (method?.toUpperCase() ?? 'ANY') as ApiRouteFile['method']
  return { file, method: upper, path, key: `${upper} ${path}` }
}

/** Every route file under server/api, sorted. */
export async function listApiRoutes(): Promise<ApiRouteFile[]> {
  const entries = await readdir(API_ROOT, { recursive: true, withFileTypes: true })
  return entries
    .filter(entry => entry.isFile() && entry.name.endsWith('.ts'))
    .map(entry => routeOfFile(relative(API_ROOT, join(entry.parentPath, entry.name)).split(sep).join('/')))
    .sort((a, b) => a.key.localeCompare(b.key))
}
