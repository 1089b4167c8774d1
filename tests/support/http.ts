// A tiny cookie-keeping HTTP client for API tests: it behaves like a browser on our
// own origin (same-origin fetch metadata) unless told otherwise.
export class ApiClient {
  private cookie = ''

  constructor(readonly baseUrl: string) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(this.baseUrl + path, {
      method,
      headers: {
        'sec-fetch-site': 'same-origin',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual',
    })
    const setCookie = response.headers.getSetCookie()
    for (const line of setCookie) {
      const [pair] = line.split(';')
      const [, value] = pair!.split('=')
      this.cookie = value ? pair! : ''
    }
    const text = await response.text()
    let json: any
    try {
      json = text ? JSON.parse(text) : undefined
    }
    catch {
      json = undefined
    }
    return { status: response.status, headers: response.headers, setCookie, json, text }
  }

  get(path: string, headers?: Record<string, string>) { return this.request('GET', path, undefined, headers) }
  post(path: string, body?: unknown, headers?: Record<string, string>) { return this.request('POST', path, body ?? {}, headers) }
  patch(path: string, body: unknown) { return this.request('PATCH', path, body) }
  delete(path: string) { return this.request('DELETE', path) }

  async login(email: string, password: string) {
    const response = await this.post('/api/auth/login', { email, password })
    if (response.status !== 200) throw new Error(`login failed: ${response.status} ${response.text}`)
    return response
  }

  get sessionCookie() { return this.cookie }
}
