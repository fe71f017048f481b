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

  async signIn(email: string, password: string): Promise<LightMyRequestResponse> {
    await this.get('/sign-in')
    const response = await this.post('/sign-in', { email, password })
    if (response.statusCode !== 303)
      throw new Error(`Sign-in as ${email} failed with ${response.statusCode}`)
    return response
  }

  async request(options: InjectOptions): Promise<LightMyRequestResponse> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
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
