import fp from 'fastify-plugin'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Database, Queryable } from '../db/connection.ts'
import type { Clock } from '../domain/clock.ts'
import { actingRoleFor } from '../domain/permissions.ts'
import { mayReadPart } from '../domain/visibility.ts'
import type { Role } from '../domain/roles.ts'
import { findCurrentUser, type CurrentUser } from '../shared/users.ts'
import { findChildForUser, type ChildInContext } from '../shared/child-access.ts'
import { recordAuditEvent, type AuditEvent } from '../shared/audit-events.ts'
import { refuseIfReadOnly } from '../shared/child-header.ts'
import { paths } from '../paths.ts'
import { RECORDED_IN_TRANSACTION, type RouteAccess, type RouteAudit } from './types.ts'
import { isUuid } from '../domain/ids.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered after this plugin, with its rules: for the test that walks them all. */
    routeRules: RegisteredRoute[]
  }
  interface FastifyRequest {
    user: CurrentUser | null
    /** On child routes, the child the URL names, once the user's right to it is proven. */
    child: ChildInContext | null
    /** The role the user is acting in for this request (for the audit trail). */
    actingRole: Role | null
    /**
     * On child routes, set when the user's only right to the child is a delegation of pages of
     * these PEPs (issue 15): they reach those PEPs' own routes and nothing else of the child, so
     * pages offer them no link into the record (`reachesRecord` in src/shared/child-header.ts).
     */
    delegatedPeps: readonly string[] | null
    /** Reached through a colleague's part of the school's pages alone: those pages (issue 15). */
    partPages: readonly string[] | null
    /** Writes an audit event about this request, with who, from where and when filled in. */
    audit(
      event: Pick<AuditEvent, 'action' | 'outcome'> & Partial<AuditEvent>,
      /** The transaction of the change being audited, so both commit or neither does. */
      within?: Queryable,
    ): Promise<void>
  }
}

export class MissingAccessRuleError extends Error {}

export interface RegisteredRoute {
  method: string
  url: string
  access: RouteAccess
  audit: RouteAudit
}

/** A session ends this long after sign-in, however active (ASVS 3.3.2). */
export const ABSOLUTE_SESSION_MS = 12 * 60 * 60_000

export interface AccessOptions {
  db: Database
  clock: Clock
  /** Loads the signed-in user; plugins/session.ts puts the id in the session. */
  loadUser?: (db: Database, userId: string) => Promise<CurrentUser | undefined>
}

/**
 * Deny by default, audit or refuse. Every route must declare who may call it and what the audit
 * trail records; one that does not is refused at start-up, so a forgotten rule cannot ship.
 * Each request is then checked against its route's rule before the handler runs: child routes
 * resolve the child and answer 404 to anyone without the right to it (its existence stays
 * hidden), and the audit event is written before the handler runs. If it cannot be written,
 * the request fails: what cannot be audited does not happen.
 */
export const accessPlugin = fp<AccessOptions>(
  async (app, { db, clock, loadUser = findCurrentUser }) => {
    app.decorateRequest('user', null)
    app.decorateRequest('child', null)
    app.decorateRequest('actingRole', null)
    app.decorateRequest('delegatedPeps', null)
    app.decorateRequest('partPages', null)
    app.decorateRequest('audit', async function (this: FastifyRequest, event, within) {
      await recordAuditEvent(within ?? db, {
        occurredAt: clock.now(),
        userId: this.user?.id ?? null,
        actingRole: this.actingRole,
        authorityId: this.child?.authorityId ?? null,
        childId: this.child?.id ?? null,
        method: this.method,
        path: this.url.split('?')[0] ?? null,
        ip: this.ip,
        userAgent: this.headers['user-agent'] ?? null,
        requestId: this.id,
        ...event,
      })
    })

    const routeRules: RegisteredRoute[] = []
    app.decorate('routeRules', routeRules)

    app.addHook('onRoute', (route) => {
      const { access, audit } = route.config ?? {}
      const name = `${String(route.method)} ${route.url}`
      if (!access) throw new MissingAccessRuleError(`Route ${name} has no access rule`)
      if (!audit) throw new MissingAccessRuleError(`Route ${name} has no audit rule`)
      if ('api' in access && !route.url.startsWith('/api/'))
        throw new MissingAccessRuleError(`Route ${name}: only /api/ routes are API routes`)
      if ('child' in access && access.child) {
        if (audit === 'none')
          throw new MissingAccessRuleError(`Child route ${name} must be audited`)
        if (!route.url.includes(':childId'))
          throw new MissingAccessRuleError(`Child route ${name} has no :childId`)
      }
      const changes = [route.method].flat().some((m) => m !== 'GET' && m !== 'HEAD')
      if (audit === 'none' && changes && !('public' in access))
        throw new MissingAccessRuleError(
          `Route ${name}: a change by a signed-in user must be audited`,
        )
      if (audit === RECORDED_IN_TRANSACTION && [route.method].flat().includes('GET'))
        throw new MissingAccessRuleError(
          `Route ${name}: only changes may record their audit in a transaction`,
        )
      for (const method of [route.method].flat())
        routeRules.push({ method, url: route.url, access, audit })
    })

    app.addHook('preHandler', async (request, reply) => {
      // API routes never read the session: the API plugin (features/api) authenticates them.
      const rule = request.routeOptions.config.access
      if (rule && 'api' in rule) return
      const userId = request.session?.userId
      if (userId) {
        // Absolute timeout: however busy, a session ends 12 hours after sign-in.
        const signedInAt = request.session.signedInAt ?? 0
        if (clock.now().getTime() - signedInAt >= ABSOLUTE_SESSION_MS) {
          await request.session.destroy()
          await request.audit({
            action: 'session.expired',
            outcome: 'success',
            userId,
            subjectUserId: userId,
            details: { after: 'absolute' },
          })
          return reply.redirect(`${paths.signIn()}?notice=expired`, 303)
        }
        const user = await loadUser(db, userId)
        if (user) request.user = user
        else await request.session.destroy()
      }
      const { access, audit } = request.routeOptions.config
      // Requests that fall through to the 404 handler have no route rules of their own.
      if (!access || !audit) return
      if ('public' in access) return writeRouteAudit(request, audit)
      const user = request.user
      if (!user) return redirectToSignIn(request, reply)
      if ('signedIn' in access) return writeRouteAudit(request, audit)
      if ('api' in access) return

      if (access.child) {
        const childId = (request.params as { childId?: string }).childId ?? ''
        const grant = await findChildForUser(db, childId, user)
        const role = grant ? actingRoleFor(grant.roles, access.action) : undefined
        if (
          !grant ||
          !role ||
          (access.reads && !mayReadPart(role, access.reads)) ||
          (grant.delegatedPeps &&
            !reachesDelegatedPep(request, access.action, grant.delegatedPeps)) ||
          (grant.partPages && !reachesPart(request, grant.partPages))
        ) {
          await request.audit({
            action: 'access.denied',
            outcome: 'denied',
            details: {
              childId,
              action: access.action,
              ...(access.reads && { reads: access.reads }),
            },
          })
          return reply.notFound()
        }
        request.child = grant.child
        request.actingRole = role
        request.delegatedPeps = grant.delegatedPeps ?? null
        request.partPages =
          grant.partPages?.[(request.params as { pepId?: string }).pepId ?? ''] ?? null
        // A child who has left care keeps a read-only record (ADR 8): every change to it is
        // refused here, whatever the route, as well as by the routes themselves.
        if (
          request.method !== 'GET' &&
          request.method !== 'HEAD' &&
          refuseIfReadOnly(request, reply)
        )
          return reply
        return writeRouteAudit(request, audit)
      }

      const role = actingRoleFor(
        user.memberships.map((m) => m.role),
        access.action,
      )
      if (!role) {
        await request.audit({
          action: 'access.denied',
          outcome: 'denied',
          details: { action: access.action },
        })
        return reply.forbidden()
      }
      request.actingRole = role
      return writeRouteAudit(request, audit)
    })
  },
)

/** What a colleague given pages of a PEP may do (issue 15): that PEP's own pages and steps. */
const DELEGATED_ACTIONS: readonly string[] = [
  'pep.view',
  'pep.edit',
  'pep.complete',
  'pep.workflow',
]

/** A grant by delegation alone reaches the delegated PEP's routes, nothing else of the child. */
function reachesDelegatedPep(request: FastifyRequest, action: string, peps: readonly string[]) {
  const pepId = (request.params as { pepId?: string }).pepId
  return DELEGATED_ACTIONS.includes(action) && pepId !== undefined && peps.includes(pepId)
}

/** The routes of a PEP a colleague given part of its pages reaches (issue 15). */
const PART_ROUTES = [
  paths.peps.contents(':childId', ':pepId'),
  paths.peps.page(':childId', ':pepId', ':pageId'),
  paths.peps.history(':childId', ':pepId', ':pageId'),
  paths.peps.endPart(':childId', ':pepId', ':partId'),
]

/** A colleague holding part of a PEP's pages reaches its contents, those pages, and handing back. */
function reachesPart(request: FastifyRequest, partPages: Readonly<Record<string, string[]>>) {
  const { pepId, pageId } = request.params as { pepId?: string; pageId?: string }
  const pages = pepId === undefined ? undefined : partPages[pepId]
  if (!pages) return true
  const url = request.routeOptions.url ?? ''
  return PART_ROUTES.includes(url) && (pageId === undefined || pages.includes(pageId))
}

async function writeRouteAudit(request: FastifyRequest, audit: RouteAudit): Promise<void> {
  if (audit === 'none' || audit === RECORDED_IN_TRANSACTION) return
  const { userId } = request.params as Record<string, string | undefined>
  const details = request.routeOptions.config.auditDetails?.(request)
  await request.audit({
    action: audit,
    outcome: 'success',
    subjectUserId: userId && isUuid(userId) ? userId : null,
    ...(details && { details }),
  })
}

async function redirectToSignIn(request: FastifyRequest, reply: FastifyReply) {
  if (request.method !== 'GET') {
    if (reply.keepUnsavedForm && (await reply.keepUnsavedForm())) return reply
    return reply.code(401).errorPage('401')
  }
  const returnTo = encodeURIComponent(request.url)
  return reply.redirect(`${paths.signIn()}?returnTo=${returnTo}`)
}
