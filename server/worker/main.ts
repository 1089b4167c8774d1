// The worker process's own entry: `node .output/server/worker.mjs` (built from this file by
// scripts/build-worker.mjs next to the web's server, same image). A worker runs queues,
// not routes: loading the web's Nitro server (router, renderer, every API handler's
// imports) only to answer one health check held memory a worker never uses, so this
// entry starts exactly what server/worker needs and answers GET /api/healthz with a
// plain node:http server. `APP_ROLE=worker node .output/server/index.mjs` still works
// (server/plugins/worker.ts), it just costs more memory.
import { createServer } from 'node:http'
import { sql } from 'drizzle-orm'
import { useConfig } from '../config'
import { securityHeaders } from '../responses/security-headers'
import { useDb } from '../utils/db'
import { logger } from '../utils/logger'
import { workerLifecycle } from './lifecycle'

// this entry is the worker whatever the environment says (useBoss and start-up read the role)
process.env.APP_ROLE = 'worker'

let started = false

// healthy once started (migrated, queues worked) and while the metadata database answers
async function healthy(): Promise<boolean> {
  if (!started) return false
  try {
    await useDb().execute(sql`SELECT 1`)
    return true
  }
  catch {
    return false
  }
}

// the same headers as every answer of the web process, though these are only JSON
let answerHeaders: Record<string, string> | undefined
const headers = () => answerHeaders ??= securityHeaders(useConfig().TESSERA_FRAME_ANCESTORS)

const healthServer = createServer((request, response) => {
  if (request.method !== 'GET' || request.url?.split('?')[0] !== '/api/healthz') {
    response.writeHead(404, { ...headers(), 'content-type': 'application/json' })
    response.end(JSON.stringify({ statusCode: 404, message: 'This is a worker process; it only answers /api/healthz' }))
    return
  }
  void healthy().then((ok) => {
    response.writeHead(ok ? 200 : 503, { ...headers(), 'content-type': 'application/json' })
    response.end(JSON.stringify({ status: ok ? 'ok' : 'unavailable', role: 'worker' }))
  })
})

const worker = workerLifecycle()
let stopping = false

async function stop(signal: string): Promise<void> {
  if (stopping) return
  stopping = true
  healthServer.close()
  try {
    await worker.stop(signal)
  }
  finally {
    process.exit(0)
  }
}

async function main(): Promise<void> {
  const config = useConfig()
  process.on('SIGTERM', () => void stop('SIGTERM'))
  process.on('SIGINT', () => void stop('SIGINT'))
  await new Promise<void>((resolve, reject) => {
    healthServer.once('error', reject)
    healthServer.listen(config.PORT, resolve)
  })
  await worker.start()
  started = true
}

main().catch((error) => {
  logger.error('worker failed to start', { error: String(error?.stack ?? error) })
  process.exit(1)
})
