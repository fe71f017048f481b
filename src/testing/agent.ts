import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'

/**
 * A browser-like client over app.inject: it keeps cookies, and fills in the CSRF token from the
 * last page it saw, the way a form post from that page would.
 */
export class TestAgent {
  private readonly app: FastifyInstance
  private readonly cookies = new Map<string, string>()
  private csrfToken: string | undefined

  constructor(app: FastifyInstance) {
    this.app = app
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.request({ method: 'GET', url, headers })
  }

  /** Posts a form as a browser would, with the CSRF token of the last page fetched. */
  async post(
    url: string,
    form: Record<string, string | string[]> = {},
    options: { csrf?: boolean; headers?: Record<string, string> } = {},
  ): Promise<LightMyRequestResponse> {
    const fields = new URLSearchParams()
    if (options.csrf !== false && this.csrfToken) fields.append('_csrf', this.csrfToken)
    for (const [key, value] of Object.entries(form)) {
      for (const v of Array.isArray(value) ? value : [value]) fields.append(key, v)
    }
    return this.request({
      method: 'POST',
      url,
      payload: fields.toString(),
      headers: { ...options.headers, 'content-type': 'application/x-www-form-urlencoded' },
    })
  }

  /** Posts a multipart form (a file upload) with the CSRF token of the last page fetched. */
  async postMultipart(
    url: string,
    fields: Record<string, string>,
    file?: { field: string; filename: string; contentType: string; content: Buffer },
  ): Promise<LightMyRequestResponse> {
    const boundary = `----openpep${Math.random().toString(16).slice(2)}`
    const parts: Buffer[] = []
    const all = { ...(this.csrfToken ? { _csrf: this.csrfToken } : {}), ...fields }
    for (const [name, value] of Object.entries(all)) {
      parts.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
        ),
      )
    }
    if (file) {
      parts.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.filename}"\r\nContent-Type: ${file.contentType}\r\n\r\n`,
        ),
        file.content,
        Buffer.from('\r\n'),
      )
    }
    parts.push(Buffer.from(`--${boundary}--\r\n`))
    return this.request({
      method: 'POST',
      url,
      payload: Buffer.concat(parts),
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    })
  }

  async signIn(email: string, password: string): Promise<LightMyRequestResponse> {
    await this.get('/sign-in')
    const response = await this.post('/sign-in', { email, password })
    if (response.statusCode !== 303)
      throw new Error(`Sign-in as ${email} failed with ${response.statusCode}`)
    return response
  }

  /** The Cookie header this agent sends, to replay its session through another app instance. */
  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  async request(options: InjectOptions): Promise<LightMyRequestResponse> {
    const cookie = this.cookieHeader()
    const response = await this.app.inject({
      ...options,
      headers: { ...(options.headers ?? {}), ...(cookie ? { cookie } : {}) },
    })
    for (const c of response.cookies) {
      if (c.expires && c.expires.getTime() <= Date.now()) this.cookies.delete(c.name)
      else this.cookies.set(c.name, c.value)
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(response.body)
    if (token) this.csrfToken = token[1]
    return response
  }
}
