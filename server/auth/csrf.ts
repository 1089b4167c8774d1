// CSRF defence for cookie-authenticated, state-changing requests: the browser must say
// the request comes from our own origin. Modern browsers send Sec-Fetch-Site on every
// request and Origin on every POST; a request with neither is not from a browser
// (curl, scripts) and so cannot carry a victim's cookie by accident.
import { getRequestHeader, getRequestHost, type H3Event } from 'h3'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export function isCrossSiteWrite(event: H3Event): boolean {
  if (SAFE_METHODS.has(event.method)) return false
  const fetchSite = getRequestHeader(event, 'sec-fetch-site')
  if (fetchSite) return fetchSite !== 'same-origin' && fetchSite !== 'none'
  const origin = getRequestHeader(event, 'origin')
  if (!origin) return false
  try {
    return new URL(origin).host !== getRequestHost(event, { xForwardedHost: true })
  }
  catch {
    return true
  }
}
