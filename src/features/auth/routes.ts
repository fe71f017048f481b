import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { paths } from '../../paths.ts'
import { formError, validateForm } from '../../plugins/validation.ts'
import { signInSchema } from './auth.schemas.ts'
import { checkCredentials } from './auth.service.ts'

export interface AuthRouteOptions {
  db: Database
  clock: Clock
}

/** Only a path on this site may be returned to after sign-in, never another origin. */
export function safeReturnTo(value: unknown): string {
  if (
    typeof value !== 'string' ||
    !value.startsWith('/') ||
    value.startsWith('//') ||
    value.includes('\\')
  ) {
    return paths.home()
  }
  return value
}

const TEMPLATE = 'auth/views/sign-in.njk'

export const authRoutes: FastifyPluginAsync<AuthRouteOptions> = async (app, { db, clock }) => {
  app.get<{ Querystring: { returnTo?: string } }>(
    paths.signIn(),
    { config: { access: { public: true }, audit: 'none' } },
    async (request, reply) => {
      if (request.user) return reply.redirect(paths.home())
      return reply.render(TEMPLATE, { returnTo: safeReturnTo(request.query.returnTo), values: {} })
    },
  )

  app.post<{ Body: Record<string, unknown> }>(
    paths.signIn(),
    { config: { access: { public: true }, audit: 'none' } },
    async (request, reply) => {
      const returnTo = safeReturnTo(request.body?.returnTo)
      const values = { email: typeof request.body?.email === 'string' ? request.body.email : '' }
      const form = validateForm(signInSchema, request.body, {})
      if (!form.ok) {
        return reply.code(400).render(TEMPLATE, { returnTo, values, errors: form.errors })
      }
      const result = await checkCredentials(db, form.value.email, form.value.password)
      if (!result.ok) {
        const errors = formError('email', 'Enter a correct email address and password')
        return reply.code(400).render(TEMPLATE, { returnTo, values, errors })
      }
      // A new session id on sign-in, so an id planted before sign-in is worthless afterwards.
      await request.session.regenerate()
      request.session.userId = result.userId
      request.session.signedInAt = clock.now().getTime()
      return reply.redirect(returnTo, 303)
    },
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
