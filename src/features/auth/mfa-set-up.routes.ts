import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { londonDate } from '../../domain/calendar-date.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { originOf } from '../../shared/actor.ts'
import { confirmMfaSetUp, findMfaSecret, isLocked } from './auth.service.ts'
import { SIGN_IN_TITLES } from './auth.presenter.ts'
import { openSecret, sealSecret } from '../../shared/secrets.ts'
import {
  groupSecret,
  mfaUri,
  newMfaSecret,
  newRecoveryCodes,
  normaliseSecurityCode,
  qrCodeDataUri,
  verifyTotp,
} from '../../domain/mfa.ts'
import { completeSignIn, pendingUser } from './sign-in.session.ts'
import {
  RECOVERY_CODES,
  SET_UP_MFA,
  signInSteps,
  type SignInGroupOptions,
} from './sign-in-steps.form.ts'
import { codeErrors, safeReturnTo, stringField } from './sign-in.form.ts'

/**
 * Setting up two-step verification, as the second step of a staff member's first sign-in, and
 * the recovery codes, shown once straight after.
 */
export const mfaSetUpRoutes: FastifyPluginAsync<SignInGroupOptions> = async (
  app,
  { db, clock, mfaKeys, throttled },
) => {
  const { refuseLocked, wrongCode } = signInSteps(db, clock)

  /** The secret being set up, from the session (where it is kept encrypted), or undefined. */
  const setUpSecret = (request: FastifyRequest, userId: string): string | undefined => {
    const sealed = request.session.mfaSetupSecret
    if (!sealed) return undefined
    try {
      return openSecret(mfaKeys, userId, sealed, 'mfa-set-up')
    } catch {
      return undefined
    }
  }
  const setUpModel = async (userId: string, secret: string) => {
    const user = await db
      .selectFrom('app_user')
      .select('email')
      .where('id', '=', userId)
      .executeTakeFirstOrThrow()
    return {
      pageTitle: SIGN_IN_TITLES.setUpMfa,
      secret: groupSecret(secret),
      qrCode: await qrCodeDataUri(mfaUri(user.email, secret)),
    }
  }

  app.get(
    paths.account.setUpMfa(),
    { config: { access: { public: true }, audit: 'none' } },
    async (request, reply) => {
      const pending = pendingUser(request, clock.now())
      if (!pending) return reply.redirect(paths.signIn())
      if (await findMfaSecret(db, pending.userId, mfaKeys))
        return reply.redirect(paths.securityCode())
      let secret = setUpSecret(request, pending.userId)
      if (!secret) {
        secret = newMfaSecret()
        // Kept encrypted in the session row too, until a code from it is confirmed.
        request.session.mfaSetupSecret = sealSecret(mfaKeys, pending.userId, secret, 'mfa-set-up')
      }
      return reply.render(SET_UP_MFA, await setUpModel(pending.userId, secret))
    },
  )

  app.post<{ Body: Record<string, unknown> }>(
    paths.account.setUpMfa(),
    { config: { access: { public: true }, audit: RECORDED_IN_TRANSACTION, rateLimit: throttled } },
    async (request, reply) => {
      const now = clock.now()
      const pending = pendingUser(request, now)
      const secret = pending && setUpSecret(request, pending.userId)
      if (!pending || !secret) return reply.redirect(paths.signIn(), 303)
      if (await findMfaSecret(db, pending.userId, mfaKeys))
        return reply.redirect(paths.securityCode(), 303)
      if (await isLocked(db, pending.userId, now)) return refuseLocked(request, reply)
      const typed = stringField(request.body, 'code')
      const code = normaliseSecurityCode(typed)
      const timeStep = code ? await verifyTotp(secret, code, now) : null
      if (timeStep === null) {
        if (typed.trim() && (await wrongCode(request, pending.userId)))
          return refuseLocked(request, reply)
        const message = !typed.trim()
          ? 'missingSetUpCode'
          : code
            ? 'wrongSecurityCode'
            : 'securityCodeShape'
        return reply.code(400).render(SET_UP_MFA, {
          ...(await setUpModel(pending.userId, secret)),
          errors: codeErrors(message),
        })
      }
      const codes = newRecoveryCodes()
      // Not signed in yet: the person acting is the one signing in, in no role.
      const actor = {
        userId: pending.userId,
        role: null,
        now,
        today: londonDate(now),
        origin: originOf(request),
      }
      await confirmMfaSetUp(db, actor, {
        userId: pending.userId,
        secret,
        recoveryCodes: codes,
        keyring: mfaKeys,
      })
      await completeSignIn(request, db, pending.userId, now, 'mfa-set-up', timeStep)
      request.session.newRecoveryCodes = codes
      request.session.pendingReturnTo = pending.returnTo
      return reply.redirect(paths.account.recoveryCodes(), 303)
    },
  )

  app.get(
    paths.account.recoveryCodes(),
    { config: { access: { signedIn: true }, audit: 'none' } },
    async (request, reply) => {
      const codes = request.session.newRecoveryCodes
      const continueTo = safeReturnTo(request.session.pendingReturnTo)
      if (!codes) return reply.redirect(paths.account.home())
      request.session.newRecoveryCodes = undefined
      request.session.pendingReturnTo = undefined
      return reply.render(RECOVERY_CODES, {
        pageTitle: SIGN_IN_TITLES.recoveryCodes,
        codes,
        continueTo,
      })
    },
  )
}
