import type { FastifyRequest } from 'fastify'
import type { PendingSso } from './sso.service.ts'

declare module 'fastify' {
  interface Session {
    /** Sent to a provider, not back yet: what its answer is checked against (used once). */
    ssoPending?: PendingSso
    /** Signed in through this provider: sign-out offers its own sign-out too. */
    ssoProviderId?: string
  }
}

/** Takes the pending sign-in out of the session: an answer is checked once, whatever it is. */
export function takePendingSso(request: FastifyRequest): PendingSso | undefined {
  const pending = request.session.ssoPending
  request.session.ssoPending = undefined
  return pending
}
