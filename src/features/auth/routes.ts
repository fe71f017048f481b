import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { formError, validateForm } from '../../plugins/validation.ts'
import { getSetting } from '../settings/settings.repository.ts'
import { signInSchema } from './auth.schemas.ts'
import { checkCredentials, findMfaSecret, isLocked, recordFailure } from './auth.service.ts'
import {
  enableMfa,
  groupSecret,
  lastUsedTimeStep,
  mfaUri,
  newMfaSecret,
  newRecoveryCodes,
  normaliseRecoveryCode,
  normaliseSecurityCode,
  qrCodeDataUri,
  useRecoveryCode,
  verifyTotp,
} from './mfa.ts'
import {
  clearPendingSignIn,
  completeSignIn,
  pendingUser,
  startPendingSignIn,
} from './sign-in-session.ts'
import {
  attemptLimit,
  DEFAULT_ATTEMPT_LIMIT,
  registerAttemptLimits,
  type AttemptLimit,
} from './throttle.ts'
import { recordAuditEvent } from '../audit/audit.repository.ts'
import { openSecret, sealSecret, type MfaKeyring } from './mfa-secret.ts'

export interface AuthRouteOptions {
  db: Database
  clock: Clock
  attemptLimit?: AttemptLimit
  /** Keys for authenticator secrets at rest (config.mfaKeys). */
  mfaKeys: MfaKeyring
}

const SAME_SITE = 'https://openpep.invalid'
/** Whitespace and control characters: browsers drop tabs and newlines, so `/\t/x` means `//x`. */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const UNSAFE_CHARACTERS = /[\s\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/

/**
 * Only a path on this site may be returned to after sign-in, never another origin. Refused (and
 * replaced by the home page): anything not starting with exactly one `/`, any backslash or
 * whitespace (browsers read `\` as `/` and drop tabs and newlines, so `/\t/x` is `//x`), and a
 * path that does any of that once percent-decoded, however many times (`/%2F%2Fx`, `/%5Cx`,
 * `/%252F%252Fx`), so no later decoding can turn it into another origin. Dot segments are
 * resolved first (`/.//x` is `//x`).
 */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2000 || !isSameSitePath(value))
    return paths.home()
  let path = value.split(/[?#]/, 1)[0]!
  for (let i = 0; i < 5; i++) {
    const decoded = decodeOrUndefined(path)
    if (decoded === undefined || !isSameSitePath(decoded)) return paths.home()
    if (decoded === path) break
    path = decoded
  }
  const url = new URL(value, SAME_SITE)
  if (url.origin !== SAME_SITE || !isSameSitePath(url.pathname)) return paths.home()
  return `${url.pathname}${url.search}${url.hash}`
}

function isSameSitePath(value: string): boolean {
  return (
    value.startsWith('/') &&
    !value.startsWith('//') &&
    !value.includes('\\') &&
    !UNSAFE_CHARACTERS.test(value)
  )
}

function decodeOrUndefined(value: string): string | undefined {
  try {
    return decodeURIComponent(value)
  } catch {
    return undefined
  }
}

export const SIGN_IN_MESSAGES = {
  wrong: 'Enter a correct email address and password',
  locked: 'You have tried too many times. Try again in 15 minutes or reset your password',
  signedOutEverywhere: 'You have been signed out on every device.',
  expired: 'You were signed out after 12 hours. Sign in again to carry on.',
  passwordReset: 'Your password has been changed. Sign in with your new password.',
  unsaved:
    'You were signed out, so what you sent was not saved yet. It has been kept: sign in again and it will be shown for you to check and save.',
} as const

const NOTICES: Record<string, string> = {
  everywhere: SIGN_IN_MESSAGES.signedOutEverywhere,
  expired: SIGN_IN_MESSAGES.expired,
  unsaved: SIGN_IN_MESSAGES.unsaved,
  'password-reset': SIGN_IN_MESSAGES.passwordReset,
  locked: SIGN_IN_MESSAGES.locked,
}

const SIGN_IN = 'auth/views/sign-in.njk'
const SECURITY_CODE = 'auth/views/security-code.njk'
const RECOVERY_CODE = 'auth/views/recovery-code.njk'
const SET_UP_MFA = 'auth/views/set-up-mfa.njk'
const RECOVERY_CODES = 'auth/views/recovery-codes.njk'

const stringField = (body: unknown, name: string) => {
  const value = (body as Record<string, unknown> | undefined)?.[name]
  return typeof value === 'string' ? value : ''
}

export const authRoutes: FastifyPluginAsync<AuthRouteOptions> = async (
  app,
  { db, clock, attemptLimit: limit = DEFAULT_ATTEMPT_LIMIT, mfaKeys },
) => {
  await registerAttemptLimits(app, db, clock)
  const throttled = attemptLimit(limit, 'sign-in')

  const renderSignIn = async (reply: FastifyReply, model: Record<string, unknown>) =>
    reply.render(SIGN_IN, {
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

  app.get<{ Querystring: { returnTo?: string; notice?: string } }>(
    paths.signIn(),
    { config: { access: { public: true }, audit: 'none' } },
    async (request, reply) => {
      if (request.user) return reply.redirect(paths.home())
      const notice = NOTICES[request.query.notice ?? '']
      return renderSignIn(reply, { returnTo: safeReturnTo(request.query.returnTo), notice })
    },
  )

  app.post<{ Body: Record<string, unknown> }>(
    paths.signIn(),
    { config: { access: { public: true }, audit: RECORDED_IN_TRANSACTION, rateLimit: throttled } },
    async (request, reply) => {
      const returnTo = safeReturnTo(request.body?.returnTo)
      const values = { email: stringField(request.body, 'email') }
      const form = validateForm(signInSchema, request.body, {})
      if (!form.ok) {
        return renderSignIn(reply.code(400), { returnTo, values, errors: form.errors })
      }
      const now = clock.now()
      const result = await checkCredentials(db, form.value.email, form.value.password, now)
      if (result.kind !== 'ok') {
        await request.audit({
          action: result.kind === 'locked' ? 'sign-in.locked' : 'sign-in.failure',
          outcome: 'failure',
          subjectUserId: result.userId,
          details: {
            emailKey: result.emailKey,
            ...(result.kind === 'failed' && result.locked ? { lockedNow: true } : {}),
          },
        })
        const locked = result.kind === 'locked' || result.locked
        const errors = formError('email', locked ? SIGN_IN_MESSAGES.locked : SIGN_IN_MESSAGES.wrong)
        return renderSignIn(reply.code(400), { returnTo, values, errors })
      }
      if (result.mfa === 'none') {
        await completeSignIn(request, db, result.userId, now, 'password')
        return reply.redirect(returnTo, 303)
      }
      await startPendingSignIn(request, result.userId, returnTo, now)
      return reply.redirect(
        result.mfa === 'verify' ? paths.securityCode() : paths.account.setUpMfa(),
        303,
      )
    },
  )

  /** A wrong code counts like a wrong password; the 5th locks the account. */
  const wrongCode = async (request: FastifyRequest, userId: string, now: Date) => {
    const locked = await recordFailure(db, userId, now)
    await request.audit({
      action: 'sign-in.mfa-failure',
      outcome: 'failure',
      subjectUserId: userId,
      details: locked ? { lockedNow: true } : {},
    })
    return locked
  }

  // The second step: a code from the authenticator app.
  app.get(
    paths.securityCode(),
    { config: { access: { public: true }, audit: 'none' } },
    async (request, reply) => {
      const pending = pendingUser(request, clock.now())
      if (!pending) return reply.redirect(paths.signIn())
      if (!(await findMfaSecret(db, pending.userId, mfaKeys)))
        return reply.redirect(paths.account.setUpMfa())
      return reply.render(SECURITY_CODE, {})
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
        return reply
          .code(400)
          .render(SECURITY_CODE, { errors: formError('code', 'Enter the security code') })
      }
      const timeStep = code
        ? await verifyTotp(secret, code, now, await lastUsedTimeStep(db, pending.userId))
        : null
      if (timeStep === null) {
        if (await wrongCode(request, pending.userId, now)) return refuseLocked(request, reply)
        const message = code
          ? 'The security code is not correct. Enter the code your authenticator app shows now'
          : 'Enter the security code as 6 digits'
        return reply.code(400).render(SECURITY_CODE, { errors: formError('code', message) })
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
      return reply.render(RECOVERY_CODE, {})
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
        return reply
          .code(400)
          .render(RECOVERY_CODE, { errors: formError('code', 'Enter a recovery code') })
      }
      const code = normaliseRecoveryCode(typed)
      const used = code
        ? await db.transaction().execute((trx) => useRecoveryCode(trx, pending.userId, code, now))
        : ({ ok: false } as const)
      if (!used.ok) {
        if (await wrongCode(request, pending.userId, now)) return refuseLocked(request, reply)
        return reply.code(400).render(RECOVERY_CODE, {
          errors: formError(
            'code',
            'The recovery code is not correct or has already been used. Each code works once',
          ),
        })
      }
      await request.audit({
        action: 'account.recovery-code-used',
        outcome: 'success',
        userId: pending.userId,
        subjectUserId: pending.userId,
        details: { left: used.left },
      })
      await completeSignIn(request, db, pending.userId, now, 'recovery-code')
      request.flash(
        'info',
        used.left === 1
          ? 'You have 1 recovery code left.'
          : `You have ${used.left} recovery codes left.`,
      )
      return reply.redirect(pending.returnTo, 303)
    },
  )

  // Setting up two-step verification, as the second step of a staff member's first sign-in.
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
        if (typed.trim() && (await wrongCode(request, pending.userId, now)))
          return refuseLocked(request, reply)
        const message = !typed.trim()
          ? 'Enter the security code from your authenticator app'
          : code
            ? 'The security code is not correct. Enter the code your authenticator app shows now'
            : 'Enter the security code as 6 digits'
        return reply.code(400).render(SET_UP_MFA, {
          ...(await setUpModel(pending.userId, secret)),
          errors: formError('code', message),
        })
      }
      const codes = newRecoveryCodes()
      await db.transaction().execute(async (trx) => {
        await enableMfa(trx, {
          userId: pending.userId,
          secret,
          recoveryCodes: codes,
          now,
          keyring: mfaKeys,
        })
        await recordAuditEvent(trx, {
          occurredAt: now,
          userId: pending.userId,
          actingRole: null,
          authorityId: null,
          action: 'account.mfa-enabled',
          outcome: 'success',
          subjectUserId: pending.userId,
          method: request.method,
          path: request.url,
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
          requestId: request.id,
        })
      })
      await completeSignIn(request, db, pending.userId, now, 'mfa-set-up', timeStep)
      request.session.newRecoveryCodes = codes
      request.session.pendingReturnTo = pending.returnTo
      return reply.redirect(paths.account.recoveryCodes(), 303)
    },
  )

  // The recovery codes, shown once straight after set-up.
  app.get(
    paths.account.recoveryCodes(),
    { config: { access: { signedIn: true }, audit: 'none' } },
    async (request, reply) => {
      const codes = request.session.newRecoveryCodes
      const continueTo = safeReturnTo(request.session.pendingReturnTo)
      if (!codes) return reply.redirect(paths.account.home())
      request.session.newRecoveryCodes = undefined
      request.session.pendingReturnTo = undefined
      return reply.render(RECOVERY_CODES, { codes, continueTo })
    },
  )

  // The timeout warning's "Stay signed in": any signed-in request keeps the session alive (it
  // is rolling); this one does nothing else, so a page can ask for it without leaving.
  app.get(
    paths.keepAlive(),
    { config: { access: { signedIn: true }, audit: 'none' } },
    async (_request, reply) => reply.header('cache-control', 'no-store').send({ signedIn: true }),
  )

  app.post(
    paths.signOut(),
    { config: { access: { signedIn: true }, audit: 'sign-out' } },
    async (request, reply) => {
      await request.session.destroy()
      return reply.redirect(paths.signIn(), 303)
    },
  )
}
