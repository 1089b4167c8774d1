// Which hosts a datasource may not point at. By default Tessera's own metadata server
// (DATABASE_URL's host and port): an org admin must never reach every org's users and
// encrypted secrets through a datasource. TESSERA_DATASOURCE_DENY_HOSTS replaces the list
// (comma-separated `host` or `host:port`; `none` denies nothing). The demo database,
// which usually shares the metadata server, stays reachable.
// Host names are resolved and compared by address, every loopback address counting as
// one (so `localhost`, `127.0.0.1`, `0.0.0.0` and `::1` cannot tell a denied port apart),
// and the connection then goes to the address that was checked, so a name cannot resolve
// to an allowed address for the check and a denied one for the connection.
import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import { useConfig } from '../config'
import { QueryError } from './types'

interface DeniedTarget { host: string, port: number | undefined }

export interface Target { host: string, port: number, database: string }

/** SQLSTATE insufficient_privilege, like any other refusal to connect */
const TARGET_DENIED = '42501'

function parseEntry(entry: string): DeniedTarget {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry)
  if (bracketed) return { host: bracketed[1]!, port: bracketed[2] ? Number(bracketed[2]) : undefined }
  const parts = entry.split(':')
  // more than one colon and no brackets: a bare IPv6 address
  if (parts.length === 2 && /^\d+$/.test(parts[1]!)) return { host: parts[0]!, port: Number(parts[1]) }
  return { host: entry, port: undefined }
}

function urlTarget(databaseUrl: string): Target {
  const url = new URL(databaseUrl)
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 5432), database: decodeURIComponent(url.pathname.slice(1)) }
}

export function deniedTargets(): DeniedTarget[] {
  const configured = useConfig().TESSERA_DATASOURCE_DENY_HOSTS?.trim()
  if (configured === 'none') return []
  if (configured) return configured.split(',').map(entry => entry.trim()).filter(Boolean).map(parseEntry)
  const metadata = urlTarget(useConfig().DATABASE_URL)
  return [{ host: metadata.host, port: metadata.port }]
}

function isLoopback(address: string): boolean {
  const plain = address.replace(/^::ffff:/i, '')
  return plain.startsWith('127.') || plain === '0.0.0.0' || plain === '::1' || plain === '::'
}

async function addressesOf(host: string): Promise<string[]> {
  if (isIP(host)) return [host]
  try {
    return (await lookup(host, { all: true })).map(entry => entry.address)
  }
  catch {
    return []
  }
}

function sameAddress(left: string, right: string): boolean {
  if (isLoopback(left) && isLoopback(right)) return true
  return left.replace(/^::ffff:/i, '').toLowerCase() === right.replace(/^::ffff:/i, '').toLowerCase()
}

function isDemoDatabase(target: Target, address: string, demoAddresses: string[]): boolean {
  const demoUrl = useConfig().TESSERA_DEMO_DATABASE_URL
  if (!demoUrl) return false
  const demo = urlTarget(demoUrl)
  return demo.port === target.port && demo.database === target.database && demoAddresses.some(demoAddress => sameAddress(demoAddress, address))
}

/**
 * The address to connect to for this target, after checking it is not denied; throws a
 * QueryError naming the setting otherwise. A name that does not resolve is returned as
 * it is, so the connection reports its own error.
 */
export async function checkedAddress(target: Target): Promise<string> {
  const addresses = await addressesOf(target.host)
  if (addresses.length === 0) return target.host
  const denied = deniedTargets()
  const demoUrl = useConfig().TESSERA_DEMO_DATABASE_URL
  const demoAddresses = demoUrl ? await addressesOf(urlTarget(demoUrl).host) : []
  for (const entry of denied) {
    if (entry.port !== undefined && entry.port !== target.port) continue
    const entryAddresses = await addressesOf(entry.host)
    for (const address of addresses) {
      if (!entryAddresses.some(deniedAddress => sameAddress(deniedAddress, address))) continue
      if (isDemoDatabase(target, address, demoAddresses)) continue
      throw new QueryError(`Datasources may not connect to ${target.host}:${target.port}: it is Tessera's own database server or another denied host (TESSERA_DATASOURCE_DENY_HOSTS).`, undefined, TARGET_DENIED)
    }
  }
  return addresses[0]!
}
