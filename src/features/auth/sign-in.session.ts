import type { FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { londonDate } from '../../domain/calendar-date.ts'
import { originOf } from '../../shared/actor.ts'
import { recordSignIn } from './auth.service.ts'

declare module 'fastify' {
  interface Session {
    /** Between a right password and the second step: who is signing in, since when, to where. */
    pendingUserId?: string
    pendingSince?: number
    pendingReturnTo?: string
    /** The secret being set up, until a code from it is confirmed. */
    mfaSetupSecret?: string
    /** Recovery codes just made, shown once and then forgotten. */
    newRecoveryCodes?: string[]
  }
}

/** How long the second step of sign-in may take. */
export const PENDING_SIGN_IN_MS = 10 * 60_000

/** Password right, second step to come: a new session id that is not yet signed in. */
export async function startPendingSignIn(
  request: FastifyRequest,
  userId: string,
  returnTo: string,
  now: Date,
): Promise<void> {
  await request.session.regenerate()
  request.session.pendingUserId = userId
  request.session.pendingSince = now.getTime()
  request.session.pendingReturnTo = returnTo
}

/** The user half-way through signing in, or undefined (never started, or took too long). */
export function pendingUser(
  request: FastifyRequest,
  now: Date,
): { userId: string; returnTo: string } | undefined {
  const { pendingUserId, pendingSince, pendingReturnTo } = request.session
  if (!pendingUserId || !pendingSince) return undefined
  if (now.getTime() - pendingSince >= PENDING_SIGN_IN_MS) {
    clearPendingSignIn(request)
    return undefined
  }
  return { userId: pendingUserId, returnTo: pendingReturnTo ?? '/' }
}

export function clearPendingSignIn(request: FastifyRequest): void {
  request.session.pendingUserId = undefined
  request.session.pendingSince = undefined
  request.session.pendingReturnTo = undefined
  request.session.mfaSetupSecret = undefined
}

/**
 * Signs the user in: a new session id (an id planted before sign-in is worthless afterwards),
 * the failure count reset, last_sign_in_at set and the sign-in audited.
 */
export async function completeSignIn(
  request: FastifyRequest,
  db: Database,
  userId: string,
  now: Date,
  method:
    'password' | 'security-code' | 'recovery-code' | 'invitation' | 'mfa-set-up' | 'single-sign-on',
  /** The TOTP time step used, so the same code cannot sign in again. */
  timeStep?: number,
  /** More of how they signed in: for single sign-on, the provider and its amr and acr. */
  more?: Record<string, unknown>,
): Promise<void> {
  await request.session.regenerate()
  request.session.userId = userId
  request.session.signedInAt = now.getTime()
  await recordSignIn(
    db,
    {
      userId,
      role: null,
      now,
      today: londonDate(now),
      // The route's pattern, not the URL: an invitation's URL holds its token.
      origin: { ...originOf(request), path: request.routeOptions.url ?? '' },
    },
    { method, ...(timeStep === undefined ? {} : { timeStep }), ...more },
  )
}
