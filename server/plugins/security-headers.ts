// Security headers on every response of the web process (server/responses/security-headers.ts):
// set when a request arrives, so pages, API answers, static assets and errors all carry
// them, and on the HTML page again with the hashes of its inline scripts. Nitro's error
// answers set their own, stricter policy (no script at all) over these.
import { useConfig } from '../config'
import { inlineScriptHashes, securityHeaders } from '../responses/security-headers'

export default defineNitroPlugin((nitroApp) => {
  // read on first use: a bad setting is reported by start-up (server/plugins/bootstrap.ts)
  let headers: Record<string, string> | undefined
  const frameAncestors = () => useConfig().TESSERA_FRAME_ANCESTORS

  nitroApp.hooks.hook('request', (event) => {
    headers ??= securityHeaders(frameAncestors())
    for (const [name, value] of Object.entries(headers)) event.node.res.setHeader(name, value)
  })

  nitroApp.hooks.hook('render:response', (response) => {
    const responseHeaders = (response.headers ??= {}) as Record<string, string>
    // Nuxt's renderer says "x-powered-by: Nuxt"; the less a server says about itself the better
    delete responseHeaders['x-powered-by']
    if (typeof response.body !== 'string') return
    Object.assign(responseHeaders, securityHeaders(frameAncestors(), inlineScriptHashes(response.body)))
  })
})
