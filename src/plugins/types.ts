import type { Action } from '../domain/permissions.ts'

/**
 * What a route must declare about who may call it. There is no default: a route without an
 * access rule is refused when it is registered (see plugins/access.ts).
 */
export type RouteAccess = { public: true } | { signedIn: true } | { action: Action }

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess
  }
}
