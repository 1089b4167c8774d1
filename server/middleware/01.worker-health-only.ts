// A worker process serves only its health check (and later metrics) on its port:
// it must never answer product routes, even if someone points a browser at it.
const WORKER_ROUTES = new Set(['/api/healthz'])

export default defineEventHandler((event) => {
  if (useConfig().APP_ROLE !== 'worker') return
  if (!WORKER_ROUTES.has(event.path.split('?')[0]!)) {
    throw createError({ statusCode: 404, message: 'This is a worker process; it only answers /api/healthz' })
  }
})
