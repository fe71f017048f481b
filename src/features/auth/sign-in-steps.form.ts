import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { paths } from '../../paths.ts'
import { formError } from '../../forms/validation.ts'
import { getSetting } from '../../shared/settings.ts'
import { SIGN_IN_MESSAGES, SIGN_IN_TITLES } from './auth.presenter.ts'
import { recordWrongCode } from './auth.service.ts'
import { signingInActor } from '../../shared/actor.ts'
import type { MfaKeyring } from '../../shared/secrets.ts'
import type { attemptLimit } from '../../shared/throttle.ts'
import { clearPendingSignIn } from './sign-in.session.ts'

/** What every group of the sign-in routes is given (routes.ts registers them). */
export interface SignInGroupOptions {
  db: Database
  clock: Clock
  mfaKeys: MfaKeyring
  /** The rate limit of every sign-in post: they share one count. */
  throttled: ReturnType<typeof attemptLimit>
}

export const SIGN_IN = 'auth/views/sign-in.njk'
export const SECURITY_CODE = 'auth/views/security-code.njk'
export const RECOVERY_CODE = 'auth/views/recovery-code.njk'
export const SET_UP_MFA = 'auth/views/set-up-mfa.njk'
export const RECOVERY_CODES = 'auth/views/recovery-codes.njk'

/** The steps the sign-in pages share: the sign-in page, a locked address, a wrong code. */
export function signInSteps(db: Database, clock: Clock) {
  const renderSignIn = async (reply: FastifyReply, model: Record<string, unknown>) =>
    reply.render(SIGN_IN, {
      pageTitle: SIGN_IN_TITLES.signIn,
      mfaOff: !(await getSetting(db, 'mfaRequiredForStaff')),
      values: {},
      returnTo: paths.home(),
      ...model,
    })

  /** The address is now locked: say so, and forget any half-finished sign-in. */
  const refuseLocked = async (request: FastifyRequest, reply: FastifyReply, email = '') => {
    clearPendingSignIn(request)
    return (await renderSignIn(reply.code(400), {
      values: { email },
      errors: formError('email', SIGN_IN_MESSAGES.locked),
    })) as FastifyReply
  }

  /** A wrong code counts like a wrong password; the 5th locks the account. */
  const wrongCode = (request: FastifyRequest, userId: string) =>
    recordWrongCode(db, signingInActor(request, clock), userId)

  return { renderSignIn, refuseLocked, wrongCode }
}
