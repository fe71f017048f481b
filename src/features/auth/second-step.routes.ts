import type { FastifyPluginAsync } from 'fastify'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { recoveryCodesLeft, SIGN_IN_TITLES } from './auth.presenter.ts'
import { findMfaSecret, isLocked, redeemRecoveryCode } from './auth.service.ts'
import { signingInActor } from '../../shared/actor.ts'
import { normaliseRecoveryCode, normaliseSecurityCode, verifyTotp } from '../../domain/mfa.ts'
import { lastUsedTimeStep } from './mfa.repository.ts'
import { completeSignIn, pendingUser } from './sign-in.session.ts'
import {
  RECOVERY_CODE,
  SECURITY_CODE,
  signInSteps,
  type SignInGroupOptions,
} from './sign-in-steps.form.ts'
import { codeErrors, stringField } from './sign-in.form.ts'

/** The second step of signing in: a code from the authenticator app, or a recovery code. */
export const secondStepRoutes: FastifyPluginAsync<SignInGroupOptions> = async (
  app,
  { db, clock, mfaKeys, throttled },
) => {
  const { refuseLocked, wrongCode } = signInSteps(db, clock)

  app.get(
    paths.securityCode(),
    { config: { access: { public: true }, audit: 'none' } },
    async (request, reply) => {
      const pending = pendingUser(request, clock.now())
      if (!pending) return reply.redirect(paths.signIn())
      if (!(await findMfaSecret(db, pending.userId, mfaKeys)))
        return reply.redirect(paths.account.setUpMfa())
      return reply.render(SECURITY_CODE, { pageTitle: SIGN_IN_TITLES.securityCode })
    },
  )

  app.post<{ Body: Record<string, unknown> }>(
    paths.securityCode(),
    { config: { access: { public: true }, audit: RECORDED_IN_TRANSACTION, rateLimit: throttled } },
    async (request, reply) => {
      const now = clock.now()
      const pending = pendingUser(request, now)
      if (!pending) return reply.redirect(paths.signIn(), 303)
      const secret = await findMfaSecret(db, pending.userId, mfaKeys)
      if (!secret) return reply.redirect(paths.signIn(), 303)
      if (await isLocked(db, pending.userId, now)) return refuseLocked(request, reply)
      const typed = stringField(request.body, 'code')
      const code = normaliseSecurityCode(typed)
      if (!typed.trim()) {
        return reply.code(400).render(SECURITY_CODE, {
          pageTitle: SIGN_IN_TITLES.securityCode,
          errors: codeErrors('missingSecurityCode'),
        })
      }
      const timeStep = code
        ? await verifyTotp(secret, code, now, await lastUsedTimeStep(db, pending.userId))
        : null
      if (timeStep === null) {
        if (await wrongCode(request, pending.userId)) return refuseLocked(request, reply)
        const errors = codeErrors(code ? 'wrongSecurityCode' : 'securityCodeShape')
        return reply
          .code(400)
          .render(SECURITY_CODE, { pageTitle: SIGN_IN_TITLES.securityCode, errors })
      }
      await completeSignIn(request, db, pending.userId, now, 'security-code', timeStep)
      return reply.redirect(pending.returnTo, 303)
    },
  )

  // Or, without the phone, one of the recovery codes.
  app.get(
    paths.recoveryCode(),
    { config: { access: { public: true }, audit: 'none' } },
    async (request, reply) => {
      const pending = pendingUser(request, clock.now())
      if (!pending) return reply.redirect(paths.signIn())
      return reply.render(RECOVERY_CODE, { pageTitle: SIGN_IN_TITLES.recoveryCode })
    },
  )

  app.post<{ Body: Record<string, unknown> }>(
    paths.recoveryCode(),
    { config: { access: { public: true }, audit: RECORDED_IN_TRANSACTION, rateLimit: throttled } },
    async (request, reply) => {
      const now = clock.now()
      const pending = pendingUser(request, now)
      if (!pending || !(await findMfaSecret(db, pending.userId, mfaKeys)))
        return reply.redirect(paths.signIn(), 303)
      if (await isLocked(db, pending.userId, now)) return refuseLocked(request, reply)
      const typed = stringField(request.body, 'code')
      if (!typed.trim()) {
        return reply.code(400).render(RECOVERY_CODE, {
          pageTitle: SIGN_IN_TITLES.recoveryCode,
          errors: codeErrors('missingRecoveryCode'),
        })
      }
      const code = normaliseRecoveryCode(typed)
      const used = code
        ? await redeemRecoveryCode(db, signingInActor(request, clock, pending.userId), code)
        : ({ ok: false } as const)
      if (!used.ok) {
        if (await wrongCode(request, pending.userId)) return refuseLocked(request, reply)
        return reply.code(400).render(RECOVERY_CODE, {
          pageTitle: SIGN_IN_TITLES.recoveryCode,
          errors: codeErrors('wrongRecoveryCode'),
        })
      }
      await completeSignIn(request, db, pending.userId, now, 'recovery-code')
      request.flash('info', recoveryCodesLeft(used.left))
      return reply.redirect(pending.returnTo, 303)
    },
  )
}
