import fp from 'fastify-plugin'
import type { Socket } from 'node:net'
import { STATUS_CODES, type IncomingMessage } from 'node:http'
import type { FastifyError, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify'
import { paths } from '../paths.ts'
import { FALLBACK_SECURITY_HEADERS } from './security.ts'

const CSRF_ERRORS = new Set(['FST_CSRF_MISSING_SECRET', 'FST_CSRF_INVALID_TOKEN'])

/** Design-system 404, 403 and 500 pages. A 500 never shows the error itself; the log has it. */
export const errorsPlugin = fp(async (app) => {
  app.setNotFoundHandler((request, reply) => {
    if (isMalformed(request.raw)) return reply.code(400).errorPage('400')
    return reply.notFound()
  })

  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    if (error.code && CSRF_ERRORS.has(error.code)) {
      request.log.warn({ code: error.code }, 'CSRF check failed')
      // A PEP page sent after the session ended: kept, and shown again after signing in.
      if (reply.keepUnsavedForm && (await reply.keepUnsavedForm())) return reply
      return reply.code(403).errorPage('session-expired')
    }
    const status = error.statusCode ?? 500
    if (status >= 500) request.log.error({ err: error }, 'request failed')
    if (status === 404) return reply.notFound()
    if (status === 413)
      return reply.code(413).errorPage('400', { reason: 'What you sent was too large.' })
    if (status >= 400 && status < 500) return reply.code(status).errorPage('400')
    if (isDatabaseUnavailable(error)) return reply.code(503).errorPage('503')
    if (request.url === paths.health()) return reply.code(503).send({ status: 'error' })
    return reply.code(500).errorPage('500', { requestId: request.id })
  })
})

/** Connection errors from pg (Node's socket codes, PostgreSQL's shutdown codes) or a closed PGlite. */
function isDatabaseUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown }).code
  if (
    typeof code === 'string' &&
    [
      'ECONNREFUSED',
      'ECONNRESET',
      'ETIMEDOUT',
      '57P01',
      '57P02',
      '57P03',
      '08006',
      '08001',
      '08003',
    ].includes(code)
  )
    return true
  return error instanceof Error && /PGlite is closed|Connection terminated/i.test(error.message)
}

/*
 * The framework's own errors. A path that is not valid percent-encoding (`/%E0%A4%A`) would be
 * answered by the router with JSON and no security headers; instead it is marked and routed to
 * the not-found handler, which runs every hook (helmet's headers, the CSP nonce) and shows the
 * design-system 400 page. What still fails before any hook can run (a parameter past the
 * router's limit, an HTTP request Node cannot parse) gets a small static page with the same
 * security headers.
 */

const MALFORMED = Symbol('openpep.malformedUrl')
/** Where a malformed URL is sent: no route has it, so the not-found handler answers. */
const MALFORMED_PATH = '/.malformed-url'

function isMalformed(raw: IncomingMessage): boolean {
  return (raw as IncomingMessage & { [MALFORMED]?: boolean })[MALFORMED] === true
}

/** Fastify's rewriteUrl: a path that cannot be percent-decoded goes to the 400 page. */
export function routeMalformedUrls(raw: IncomingMessage): string {
  const url = raw.url ?? '/'
  try {
    decodeURIComponent(url.split('?', 1)[0]!)
    return url
  } catch {
    ;(raw as IncomingMessage & { [MALFORMED]?: boolean })[MALFORMED] = true
    return MALFORMED_PATH
  }
}

function fallbackPage(status: number): string {
  return `<!DOCTYPE html>
<html lang="en" class="govuk-template">
<head><meta charset="utf-8"><title>Sorry, there was a problem with your request – OpenPEP</title>
<link rel="stylesheet" href="${paths.assets('application.css')}"></head>
<body class="govuk-template__body"><div class="govuk-width-container"><main class="govuk-main-wrapper">
<h1 class="govuk-heading-l">Sorry, there was a problem with your request</h1>
<p class="govuk-body">The service could not understand what was sent (${status}).</p>
<p class="govuk-body"><a href="${paths.home()}" class="govuk-link">Go to My work</a></p>
</main></div></body></html>
`
}

/** Fastify's frameworkErrors: errors raised before the request reaches any hook. */
export function frameworkErrorPage(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const status = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400
  request.log.info({ code: error.code }, 'request refused by the router')
  void reply
    .code(status)
    .headers({ ...FALLBACK_SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8' })
    .send(fallbackPage(status))
}

/** Node's clientError: a request that is not HTTP it can parse, answered on the socket itself. */
export const clientErrorPage: FastifyServerOptions['clientErrorHandler'] = function (
  error: NodeJS.ErrnoException,
  socket: Socket,
) {
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  const status =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? 408
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? 431
        : 400
  const body = fallbackPage(status)
  const headers = {
    ...FALLBACK_SECURITY_HEADERS,
    'content-type': 'text/html; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
  }
  if (socket.writable) {
    const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`)
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${lines.join('\r\n')}\r\n\r\n${body}`,
    )
  }
  socket.destroy(error)
}
