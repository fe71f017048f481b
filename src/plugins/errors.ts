import fp from 'fastify-plugin'
import type { FastifyError } from 'fastify'
import { paths } from '../paths.ts'

const CSRF_ERRORS = new Set(['FST_CSRF_MISSING_SECRET', 'FST_CSRF_INVALID_TOKEN'])

/** Design-system 404, 403 and 500 pages. A 500 never shows the error itself; the log has it. */
export const errorsPlugin = fp(async (app) => {
  app.setNotFoundHandler((_request, reply) => {
    return reply.code(404).render('pages/404.njk')
  })

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.code && CSRF_ERRORS.has(error.code)) {
      request.log.warn({ code: error.code }, 'CSRF check failed')
      return reply.code(403).render('pages/session-expired.njk')
    }
    const status = error.statusCode ?? 500
    if (status >= 500) request.log.error({ err: error }, 'request failed')
    if (status === 404) return reply.code(404).render('pages/404.njk')
    if (status === 413)
      return reply.code(413).render('pages/400.njk', { reason: 'What you sent was too large.' })
    if (status >= 400 && status < 500) return reply.code(status).render('pages/400.njk')
    if (isDatabaseUnavailable(error)) return reply.code(503).render('pages/503.njk')
    if (request.url === paths.health()) return reply.code(503).send({ status: 'error' })
    return reply.code(500).render('pages/500.njk', { requestId: request.id })
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
