import { createHmac, createSecretKey } from 'node:crypto'
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
  // The secret signs the CSRF cookie; @fastify/session signs its own cookie with it too.
  await app.register(cookie, { secret: options.secret })
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
  // The CSRF secret is in a signed cookie of its own, not the session, so an anonymous visit (the
  // sign-in page, a forgotten-password form) stores nothing: a session row is written only once
  // someone has signed in (or is half-way, between password and code). Each token is also bound
  // to who is signed in (nobody, before sign-in), so a token from before sign-in, or from another
  // person in the same browser, is refused afterwards.
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: 'openpep.csrf',
    cookieOpts: {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: options.secureCookies,
      signed: true,
    },
    getToken: csrfTokenFromForm,
    getUserInfo: csrfUserInfo,
    csrfOpts: {
      // A KeyObject, not the bytes: given bytes, Node prepares the key again for every token's
      // HMAC (11 µs an HMAC against 2 µs here, on Node 24). @fastify/csrf hands it to
      // createHmac as it is, which takes a KeyObject; its types list the rest of what createHmac
      // takes but not that.
      hmacKey: createSecretKey(
        createHmac('sha256', options.secret).update('openpep-csrf-tokens').digest(),
      ) as unknown as Buffer,
    },
  })

  // The body is parsed by preHandler time, so this is where the form's token can be read.
  // The API (/api/, issue 22) is called with a bearer secret, never a cookie, so it has no CSRF.
  app.addHook('preHandler', (request, reply, done) => {
    if (UNSAFE_METHODS.has(request.method) && !isApiRoute(request))
      app.csrfProtection(request, reply, done)
    else done()
  })
})

/** A route of the API: matched by its registered pattern, never by what the client typed. */
export function isApiRoute(request: FastifyRequest): boolean {
  const access = request.routeOptions.config?.access
  return access !== undefined && 'api' in access
}

/** Who a CSRF token is bound to: the signed-in user, or nobody yet. */
export function csrfUserInfo(request: FastifyRequest): string {
  return request.session?.userId ?? 'nobody-signed-in'
}

function csrfTokenFromForm(request: FastifyRequest): string | undefined {
  const body = request.body as Record<string, unknown> | undefined
  const fromBody = body && typeof body._csrf === 'string' ? body._csrf : undefined
  const fromHeader = request.headers['x-csrf-token']
  return fromBody ?? (typeof fromHeader === 'string' ? fromHeader : undefined)
}
