// Hooks the audit log into every request: notes when it arrived (for the row's
// duration) and, for the routes listed in audit/route-actions.ts, appends one row with
// the outcome. Streamed answers (exports) end after `beforeResponse`, hence `afterResponse`;
// errors never reach either, hence the `error` hook.
import { getResponseStatus } from 'h3'
import { auditMatchedRoute } from '../audit/routes'

export default defineNitroPlugin((nitroApp) => {
  nitroApp.hooks.hook('request', (event) => {
    event.context.auditStartedAt = performance.now()
  })
  nitroApp.hooks.hook('beforeResponse', (event, response) => auditMatchedRoute(event, getResponseStatus(event), response?.body))
  nitroApp.hooks.hook('afterResponse', event => auditMatchedRoute(event, getResponseStatus(event)))
  nitroApp.hooks.hook('error', async (error, { event }) => {
    if (!event) return
    const statusCode = (error as { statusCode?: number }).statusCode ?? 500
    await auditMatchedRoute(event, statusCode)
  })
})
