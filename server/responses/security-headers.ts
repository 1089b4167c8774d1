// Owns the security headers every response carries: a Content-Security-Policy that lets
// the page run only its own scripts (plus the inline ones Nuxt writes into the HTML,
// allowed by their hashes), who may frame the app (TESSERA_FRAME_ANCESTORS, `'none'`
// unless a TV screen's page must embed dashboards), nosniff and a Referrer-Policy that
// tells other sites nothing. server/plugins/security-headers.ts puts them on the web's
// responses; the worker's health check sends them too.
import { createHash } from 'node:crypto'

/**
 * The policy. Scripts: this origin only, plus the hashes of the page's inline scripts;
 * no eval (plugins/00.zod-jitless.client.ts keeps zod from trying). Styles also allow
 * inline ones: CodeMirror writes its theme into style elements at run time and components
 * set style attributes, none of which can carry a hash, and a style cannot run code.
 * Images may be data: or blob: URLs (the chart PNG download).
 */
export function contentSecurityPolicy(frameAncestors: string, scriptHashes: readonly string[] = []): string {
  return [
    `default-src 'self'`,
    `script-src 'self'${scriptHashes.map(hash => ` '${hash}'`).join('')}`,
    `style-src 'self' 'unsafe-inline'`,
    `img-src 'self' data: blob:`,
    `font-src 'self' data:`,
    `connect-src 'self'`,
    `object-src 'none'`,
    `base-uri 'self'`,
    `form-action 'self'`,
    `frame-ancestors ${frameAncestors}`,
  ].join('; ')
}

/**
 * X-Frame-Options says what frame-ancestors says, for browsers that only know the older
 * header: DENY for `'none'`, SAMEORIGIN for `'self'`; a list naming other origins has no
 * X-Frame-Options equivalent, so none is sent (DENY would override it in those browsers).
 */
function frameOptions(frameAncestors: string): string | undefined {
  if (frameAncestors === `'none'`) return 'DENY'
  if (frameAncestors === `'self'`) return 'SAMEORIGIN'
  return undefined
}

export function securityHeaders(frameAncestors: string, scriptHashes: readonly string[] = []): Record<string, string> {
  const frame = frameOptions(frameAncestors)
  return {
    'content-security-policy': contentSecurityPolicy(frameAncestors, scriptHashes),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    ...(frame ? { 'x-frame-options': frame } : {}),
  }
}

// <script …>body</script> without a src: what CSP treats as an inline script
const INLINE_SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script>/gi
// data blocks (Nuxt's JSON payload) are never executed, so CSP does not look at them
const DATA_BLOCK_TYPE = /\btype\s*=\s*["']?application\/(?:[\w.+-]*\+)?json\b/i

/** `sha256-…` of every inline script of an HTML page that a browser would run (import maps included). */
export function inlineScriptHashes(html: string): string[] {
  const hashes = new Set<string>()
  for (const [, attributes, body] of html.matchAll(INLINE_SCRIPT)) {
    if (/\bsrc\s*=/i.test(attributes!) || DATA_BLOCK_TYPE.test(attributes!)) continue
    hashes.add(`sha256-${createHash('sha256').update(body!, 'utf8').digest('base64')}`)
  }
  return [...hashes]
}
