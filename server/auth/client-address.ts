// Owns the answer to "which address is this request from?" for sign-in limiting (and
// anything else that keys on the client). X-Forwarded-For is written by whoever sends the
// request, so it is believed only as far as TESSERA_TRUST_PROXY says proxies of ours
// appended to it; otherwise the socket's own address is the client's.
import type { H3Event } from 'h3'
import { useConfig } from '../config'

/**
 * The client's address given the socket's peer and X-Forwarded-For. Each trusted proxy
 * appends the address it received the request from, so with `trustedProxies` proxies the
 * client is the entry that many places from the right; entries further left are whatever
 * the client wrote and are never used.
 */
export function clientAddressFrom(socketAddress: string | undefined, forwardedFor: string | undefined, trustedProxies: number): string {
  const peer = socketAddress ?? 'unknown'
  if (trustedProxies === 0 || !forwardedFor) return peer
  const hops = forwardedFor.split(',').map(entry => entry.trim()).filter(Boolean)
  // fewer entries than proxies: the request reached an inner proxy directly, and the
  // leftmost entry is the sender that proxy saw
  const client = hops[Math.max(0, hops.length - trustedProxies)]
  return client ?? peer
}

export function clientAddress(event: H3Event): string {
  const forwardedFor = event.node.req.headers['x-forwarded-for']
  return clientAddressFrom(
    event.node.req.socket.remoteAddress,
    Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor,
    useConfig().TESSERA_TRUST_PROXY,
  )
}
