import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect } from 'node:net'
import type { AddressInfo } from 'node:net'
import type { LightMyRequestResponse } from 'fastify'
import { createTestApp, type TestContext } from '../testing/app.ts'

/*
 * Every error response is a page with the security headers, including the ones the framework
 * and Node make before any of OpenPEP's hooks run.
 */

let t: TestContext
let reference: Record<string, string>
beforeAll(async () => {
  t = await createTestApp()
  reference = securityHeaders((await t.app.inject({ url: '/sign-in' })).headers)
})
afterAll(() => t.close())

const SECURITY_HEADERS = [
  'content-security-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'origin-agent-cluster',
  'referrer-policy',
  'strict-transport-security',
  'x-content-type-options',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-frame-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
  'cache-control',
]

function securityHeaders(headers: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(SECURITY_HEADERS.map((name) => [name, String(headers[name])]))
}

/** An HTML page with every header a rendered page has (the CSP's nonce aside). */
function expectSafePage(headers: Record<string, unknown>, body: string, label: string) {
  expect(String(headers['content-type']), label).toMatch(/^text\/html/)
  expect(body, label).toContain('<h1 class="govuk-heading-l">')
  const got = securityHeaders(headers)
  for (const name of SECURITY_HEADERS) {
    if (name === 'content-security-policy') continue
    expect(got[name], `${label}: ${name}`).toBe(reference[name])
  }
  const csp = got['content-security-policy'] ?? ''
  expect(csp, label).toContain("frame-ancestors 'none'")
  expect(csp, label).toContain("default-src '")
  expect(csp, label).not.toContain('unsafe-inline')
}

describe('error pages', () => {
  it('has a reference page with every security header', () => {
    for (const name of SECURITY_HEADERS) expect(reference[name], name).not.toBe('undefined')
  })

  const cases: [string, () => Promise<LightMyRequestResponse>, number][] = [
    ['a malformed URL', () => t.app.inject({ url: '/%E0%A4%A' }), 400],
    ['a malformed URL under a route', () => t.app.inject({ url: '/children/%E0%A4%A' }), 400],
    // The CSRF check comes first for any post.
    ['a malformed URL posted', () => t.app.inject({ method: 'POST', url: '/sign-in/%ZZ' }), 403],
    [
      'a parameter longer than the router takes',
      () => t.app.inject({ url: `/children/${'a'.repeat(500)}` }),
      414,
    ],
    [
      'a content type nobody reads',
      () =>
        t.app.inject({
          method: 'POST',
          url: '/sign-in',
          payload: '<x/>',
          headers: { 'content-type': 'text/xml' },
        }),
      415,
    ],
    [
      'a body that is not the JSON it claims',
      () =>
        t.app.inject({
          method: 'POST',
          url: '/sign-in',
          payload: '{bad',
          headers: { 'content-type': 'application/json' },
        }),
      400,
    ],
    [
      'a body over the limit',
      () =>
        t.app.inject({
          method: 'POST',
          url: '/sign-in',
          payload: `email=${'x'.repeat(1_100_000)}`,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
      413,
    ],
    ['an unknown method', () => t.app.inject({ method: 'PROPFIND' as 'GET', url: '/' }), 404],
    ['a page that is not there', () => t.app.inject({ url: '/no-such-page' }), 404],
    ['an asset that is not there', () => t.app.inject({ url: '/assets/none.css' }), 404],
    ['a form without its CSRF token', () => t.app.inject({ method: 'POST', url: '/sign-in' }), 403],
  ]

  it.each(cases)('answers %s with a page and the security headers', async (label, send, status) => {
    const response = await send()
    expect(response.statusCode, label).toBe(status)
    expectSafePage(response.headers, response.body, label)
    expect(response.body).not.toMatch(/FST_|"statusCode"/)
  })
})

describe('requests Node itself refuses', () => {
  it('answers unparseable HTTP and oversized headers with a page and the security headers', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = t.app.server.address() as AddressInfo
    const raw = (request: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.write(request))
        let data = ''
        socket.on('data', (chunk) => (data += chunk.toString()))
        socket.on('close', () => resolve(data))
        socket.on('error', reject)
      })
    for (const [request, status] of [
      ['GET / HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n', 400],
      [`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
    ] as const) {
      const response = await raw(request)
      const [head = '', body = ''] = response.split('\r\n\r\n')
      const [statusLine, ...lines] = head.split('\r\n')
      expect(statusLine).toContain(`HTTP/1.1 ${status}`)
      const headers = Object.fromEntries(
        lines.map((line) => {
          const at = line.indexOf(':')
          return [line.slice(0, at).toLowerCase(), line.slice(at + 1).trim()]
        }),
      )
      expectSafePage(headers, body, `raw ${status}`)
    }
  })
})
