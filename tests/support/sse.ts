// Reads a server-sent events response, for API tests: to its end, or until `until`
// matches a message. Fails when the deadline passes, and when `until` was given but the
// stream ended without a match, so a wait for an event never passes by running out.
export interface SseMessage {
  event: string
  data: string
}

export interface SseRead { status: number, contentType: string | null, messages: SseMessage[] }

export async function readEventStream(url: string, headers: Record<string, string>, until?: (message: SseMessage) => boolean, timeoutMs = 30_000): Promise<SseRead> {
  const abort = new AbortController()
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    abort.abort()
  }, timeoutMs)
  const messages: SseMessage[] = []
  const read = (response: Response): SseRead => ({ status: response.status, contentType: response.headers.get('content-type'), messages })
  try {
    const response = await fetch(url, { headers, signal: abort.signal })
    if (!response.ok || !response.body) return read(response)
    const decoder = new TextDecoder()
    let buffer = ''
    const reader = response.body.getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      buffer += decoder.decode(value, { stream: true })
      let end: number
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const block = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        const message: SseMessage = { event: 'message', data: '' }
        for (const line of block.split('\n')) {
          if (line.startsWith('event:')) message.event = line.slice(6).trim()
          else if (line.startsWith('data:')) message.data += line.slice(5).trim()
        }
        messages.push(message)
        if (until?.(message)) {
          abort.abort()
          return read(response)
        }
      }
    }
    if (until) throw new Error(`${url} ended without the awaited event; got ${JSON.stringify(messages.map(message => message.data))}`)
    return read(response)
  }
  catch (error) {
    if (timedOut) throw new Error(`${url}: no ${until ? 'awaited event' : 'end of stream'} within ${timeoutMs} ms; got ${JSON.stringify(messages.map(message => message.data))}`, { cause: error })
    throw error
  }
  finally {
    clearTimeout(timer)
  }
}
