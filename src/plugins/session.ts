import fp from 'fastify-plugin'
import cookie from '@fastify/cookie'
import session from '@fastify/session'
import flash from '@fastify/flash'
import csrf from '@fastify/csrf-protection'
import type { FastifyRequest } from 'fastify'
import type { Database } from '../db/connection.ts'
import type { Clock } from '../domain/clock.ts'
import { PostgresSessionStore, SESSION_TOUCH_MS } from './session-store.ts'

declare module 'fastify' {
  interface Session {
    userId?: string
    signedInAt?: number
  }
}

export interface SessionOptions {
  db: Database
  clock: Clock
  secret: string
  secureCookies: boolean
  /** Idle timeout: a session unused this long is gone. */
  idleMs: number
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * Server-side sessions in PostgreSQL (so any app process can serve any user), flash messages,
 * and CSRF protection on every state-changing request.
 */
export const sessionPlugin = fp<SessionOptions>(async (app, options) => {
  await app.register(cookie)
  await app.register(session, {
    secret: options.secret,
    cookieName: 'openpep.sid',
    saveUninitialized: false,
    rolling: true,
    store: new PostgresSessionStore(options.db, options.clock, options.idleMs),
    cookie: {
      httpOnly: true,
      secure: options.secureCookies,
      sameSite: 'lax',
      path: '/',
      // The stored session outlives the idle timeout by up to a minute (see SESSION_TOUCH_MS).
      maxAge: options.idleMs + SESSION_TOUCH_MS,
    },
  })
  await app.register(flash)
  await app.register(csrf, { sessionPlugin: '@fastify/session', getToken: csrfTokenFromForm })

  // The body is parsed by preHandler time, so this is where the form's token can be read.
  app.addHook('preHandler', (request, reply, done) => {
    if (UNSAFE_METHODS.has(request.method)) app.csrfProtection(request, reply, done)
    else done()
  })
})

function csrfTokenFromForm(request: FastifyRequest): string | undefined {
  const body = request.body as Record<string, unknown> | undefined
  const fromBody = body && typeof body._csrf === 'string' ? body._csrf : undefined
  const fromHeader = request.headers['x-csrf-token']
  return fromBody ?? (typeof fromHeader === 'string' ? fromHeader : undefined)
}
