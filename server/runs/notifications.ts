// One LISTEN connection per process, shared by everything that waits on a Postgres
// channel here (run events for SSE streams, cancel requests on workers). It reconnects
// after an error and re-LISTENs every channel, so a restarted database does not leave
// subscribers deaf.
import pg from 'pg'
import { useConfig } from '../config'
import { logger } from '../utils/logger'

type Handler = (payload: string) => void

const handlers = new Map<string, Set<Handler>>()
let connecting: Promise<pg.Client> | undefined
let reconnectTimer: NodeJS.Timeout | undefined

function quoteChannel(channel: string): string {
  return `"${channel.replaceAll('"', '""')}"`
}

function connection(): Promise<pg.Client> {
  connecting ??= (async () => {
    const client = new pg.Client({ connectionString: useConfig().DATABASE_URL, application_name: `tessera-${useConfig().APP_ROLE}-listen` })
    client.on('notification', (message) => {
      for (const handler of handlers.get(message.channel) ?? []) handler(message.payload ?? '')
    })
    client.on('error', (error) => {
      logger.warn('listen connection lost; reconnecting', { error: error.message })
      connecting = undefined
      client.end().catch(() => {})
      scheduleReconnect()
    })
    await client.connect()
    for (const channel of handlers.keys()) await client.query(`LISTEN ${quoteChannel(channel)}`)
    return client
  })()
  connecting.catch(() => {
    connecting = undefined
    scheduleReconnect()
  })
  return connecting
}

function scheduleReconnect(): void {
  if (reconnectTimer || handlers.size === 0) return
  reconnectTimer = setTimeout(() => {
    reconnectTimer = undefined
    connection().catch(() => {})
  }, 1_000)
  reconnectTimer.unref()
}

/** Calls handler for every NOTIFY on channel until the returned function is called. */
export async function listen(channel: string, handler: Handler): Promise<() => void> {
  let channelHandlers = handlers.get(channel)
  const isNew = !channelHandlers
  if (!channelHandlers) {
    channelHandlers = new Set()
    handlers.set(channel, channelHandlers)
  }
  channelHandlers.add(handler)
  if (isNew) {
    try {
      await (await connection()).query(`LISTEN ${quoteChannel(channel)}`)
    }
    catch (error) {
      // the reconnect LISTENs every registered channel again
      logger.warn('LISTEN failed; will retry', { channel, error: String(error) })
    }
  }
  return () => {
    channelHandlers.delete(handler)
    if (channelHandlers.size > 0 || handlers.get(channel) !== channelHandlers) return
    handlers.delete(channel)
    connecting?.then(client => client.query(`UNLISTEN ${quoteChannel(channel)}`)).catch(() => {})
  }
}

export async function closeNotifications(): Promise<void> {
  handlers.clear()
  const closing = connecting
  connecting = undefined
  if (closing) await closing.then(client => client.end()).catch(() => {})
}
