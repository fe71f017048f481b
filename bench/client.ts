import { paths } from '../src/paths.ts'

/**
 * A browser-like HTTP client for the bench: it keeps cookies and the last page's CSRF token, and
 * signs in through the real sign-in form, as a person would.
 */
export class BenchClient {
  private readonly cookies = new Map<string, string>()
  csrfToken: string | undefined
  readonly baseUrl: string

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  async request(
    method: 'GET' | 'POST',
    path: string,
    form?: URLSearchParams,
  ): Promise<{ status: number; body: string; location: string | null }> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        cookie: this.cookieHeader(),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form?.toString(),
    })
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const at = pair!.indexOf('=')
      this.cookies.set(pair!.slice(0, at).trim(), pair!.slice(at + 1).trim())
    }
    const body = await response.text()
    const token = /name="_csrf" value="([^"]+)"/.exec(body)
    if (token) this.csrfToken = token[1]
    return { status: response.status, body, location: response.headers.get('location') }
  }

  async signIn(email: string, password: string): Promise<void> {
    await this.request('GET', paths.signIn())
    const form = new URLSearchParams({ _csrf: this.csrfToken ?? '', email, password })
    const response = await this.request('POST', paths.signIn(), form)
    if (response.status !== 303 || response.location !== paths.home())
      throw new Error(
        `Sign-in as ${email} answered ${response.status} to ${response.location ?? '(nowhere)'}`,
      )
  }
}

const decode = (text: string) =>
  text
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&')

/**
 * The fields a browser would post from the first <form method="post"> with a `version` field:
 * inputs (text, hidden, checked radios and checkboxes), textareas and selected options.
 */
export function formFields(html: string): [name: string, value: string][] {
  const start = html.indexOf('name="version"')
  const formStart = html.lastIndexOf('<form', start)
  const formEnd = html.indexOf('</form>', start)
  if (start < 0 || formStart < 0 || formEnd < 0) throw new Error('No PEP page form found')
  const form = html.slice(formStart, formEnd)
  const fields: [string, string][] = []
  const attr = (tag: string, name: string) =>
    new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1] ?? undefined
  for (const match of form.matchAll(
    /<input\b[^>]*>|<textarea\b[^>]*>([\s\S]*?)<\/textarea>|<select\b[^>]*>([\s\S]*?)<\/select>/g,
  )) {
    const tag = match[0]
    const name = attr(tag.slice(0, tag.indexOf('>') + 1), 'name')
    if (!name) continue
    if (tag.startsWith('<textarea')) fields.push([name, decode(match[1] ?? '').replace(/^\n/, '')])
    else if (tag.startsWith('<select')) {
      const selected = /<option[^>]*value="([^"]*)"[^>]*selected/.exec(match[2] ?? '')
      fields.push([name, decode(selected?.[1] ?? '')])
    } else {
      const type = attr(tag, 'type') ?? 'text'
      if ((type === 'radio' || type === 'checkbox') && !/\schecked\b/.test(tag)) continue
      if (type === 'submit' || type === 'button') continue
      fields.push([name, decode(attr(tag, 'value') ?? '')])
    }
  }
  return fields
}
