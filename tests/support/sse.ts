// Reads a server-sent events response to its end (or until `until` says stop), for API tests.
export interface SseMessage {
  event: string
  data: string
}

export async function readEventStream(url: string, headers: Record<string, string>, until: (message: SseMessage) => boolean = () => false, timeoutMs = 30_000): Promise<{ status: number, contentType: string | null, messages: SseMessage[] }> {
  const abort = new AbortController()
  const timer = setTimeout(() => abort.abort(), timeoutMs)
  const response = await fetch(url, { headers, signal: abort.signal })
  const messages: SseMessage[] = []
  if (!response.ok || !response.body) {
    clearTimeout(timer)
    return { status: response.status, contentType: response.headers.get('content-type'), messages }
  }
  const decoder = new TextDecoder()
  let buffer = ''
  try {
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
        if (until(message)) {
          abort.abort()
          return { status: response.status, contentType: response.headers.get('content-type'), messages }
        }
      }
    }
  }
  catch (error) {
    if (!abort.signal.aborted) throw error
  }
  finally {
    clearTimeout(timer)
  }
  return { status: response.status, contentType: response.headers.get('content-type'), messages }
}
