import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { UserStatus } from '../../db/schema.ts'
import type { Clock } from '../../domain/clock.ts'
import type { Action } from '../../domain/permissions.ts'
import { ROLE_NAMES, isRole, isVirtualSchoolRole } from '../../domain/roles.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION, type RouteAudit } from '../../plugins/types.ts'
import { validateForm, type FormErrors } from '../../plugins/validation.ts'
import { paginate, pageNumber } from '../../views/pagination.ts'
import { parseAuditLogQuery, type AuditLogQuery } from '../audit/audit-log.filters.ts'
import {
  AUDIT_PAGE_SIZE,
  presentFilters,
  presentLogPagination,
  presentUserActivityRows,
} from '../audit/audit-log.presenter.ts'
import { listAuditEvents } from '../audit/audit-log.repository.ts'
import { countChildrenByAuthority, listUserChildAccess } from './admin-children.repository.ts'
import { authoritiesFor, findUserInScope, type ManagedUser } from './admin-scope.ts'
import {
  listAuthorities,
  listSchoolsOfAuthorities,
  listUsersInAuthorities,
  schoolBelongsTo,
} from './admin-users.repository.ts'
import {
  addChildAccess,
  addRole,
  addUser,
  deactivateUser,
  reactivateUser,
  removeChildAccess,
  removeFromAuthority,
  removeRole,
  resendInvitation,
  resetTwoStepVerification,
  withdrawInvitation,
  type AdminActor,
} from './admin-users.service.ts'
import {
  childAccessSchema,
  newUserSchema,
  roleSchema,
  validateRoleForm,
  withFieldError,
} from './admin.schemas.ts'
import {
  USER_STATUSES,
  accountWideRefusalText,
  presentRoleFields,
  presentUser,
  presentUserChildren,
  presentUserList,
  type RoleFormValues,
} from './admin.presenter.ts'

export interface AdminRouteOptions {
  db: Database
  clock: Clock
  /** The address people use, for links in invitation emails. */
  baseUrl: string
}

const USERS_PAGE_SIZE = 25
const CHILDREN_PAGE_SIZE = 25

type UserParams = { Params: { userId: string } }
type Form = { Body: Record<string, unknown> }

/*
 * Audit: pages (GET) name their audit action on the route and the access plugin writes it.
 * Changes (POST) are RECORDED_IN_TRANSACTION: admin-users.service.ts writes each change's event
 * inside the change's own transaction, with what changed; see the note at the top of that file.
 */
const admin = (audit: RouteAudit = RECORDED_IN_TRANSACTION, action: Action = 'admin.users') => ({
  config: { access: { action }, audit },
})

function actorFrom(request: FastifyRequest, clock: Clock): AdminActor {
  return {
    user: request.user!,
    actingRole: request.actingRole,
    now: clock.now(),
    request: {
      ip: request.ip,
      userAgent: request.headers['user-agent'] ?? null,
      requestId: request.id,
      method: request.method,
      path: request.url.split('?')[0] ?? '',
    },
  }
}

/**
 * A user outside the viewer's authorities (or no such user) answers 404, like a missing page,
 * and the refusal is recorded as 'access.denied', as the access plugin records a hidden child.
 */
async function refuseUser(request: FastifyRequest, reply: FastifyReply) {
  const { userId } = request.params as { userId?: string }
  await request.audit({
    action: 'access.denied',
    outcome: 'denied',
    details: { userId, action: request.routeOptions.config.access, reason: 'user-not-in-scope' },
  })
  return reply.code(404).render('pages/404.njk')
}

/** A role or child-access row that is not there (any more): a plain 404, nothing refused. */
function missing(reply: FastifyReply) {
  return reply.code(404).render('pages/404.njk')
}

const str = (value: unknown) => (typeof value === 'string' ? value : '')

function formValues(body: Record<string, unknown> | undefined): RoleFormValues {
  return {
    email: str(body?.email).slice(0, 500),
    displayName: str(body?.displayName).slice(0, 500),
    authorityId: str(body?.authorityId),
    role: str(body?.role),
    schoolId: str(body?.schoolId),
  }
}

export const adminRoutes: FastifyPluginAsync<AdminRouteOptions> = async (
  app,
  { db, clock, baseUrl },
) => {
  async function roleFields(request: FastifyRequest, values: RoleFormValues) {
    const ids = authoritiesFor(request.user!, 'admin.users')
    const [authorities, schools] = await Promise.all([
      listAuthorities(db, ids),
      listSchoolsOfAuthorities(db, ids),
    ])
    return presentRoleFields(values, authorities, schools)
  }

  /** Checks what zod cannot: the authority is one the admin runs, the school is in it. */
  async function checkRoleTargets(
    request: FastifyRequest,
    value: { authorityId: string; role: string; schoolId: string | null },
    errors?: FormErrors,
  ): Promise<FormErrors | undefined> {
    let out = errors
    if (!authoritiesFor(request.user!, 'admin.users').includes(value.authorityId))
      out = withFieldError(out, 'authorityId', 'Select an authority')
    else if (value.schoolId && !(await schoolBelongsTo(db, value.schoolId, value.authorityId)))
      out = withFieldError(out, 'schoolId', 'Select a school in the authority you chose')
    return out
  }

  /** The one scoping rule (admin-scope.ts), applied before any page or change about a user. */
  async function userInScope(
    request: FastifyRequest,
    reply: FastifyReply,
    action: Action = 'admin.users',
  ): Promise<ManagedUser | undefined> {
    const { userId } = request.params as { userId: string }
    const user = await findUserInScope(db, request.user!, userId, action)
    if (!user) await refuseUser(request, reply)
    return user
  }

  // 1. The users of the administrator's authorities.
  app.get<{ Querystring: { q?: string; role?: string; status?: string; page?: string } }>(
    paths.admin.users(),
    admin('admin.users.view'),
    async (request, reply) => {
      const authorityIds = authoritiesFor(request.user!, 'admin.users')
      const q = str(request.query.q).trim().slice(0, 200)
      const role =
        request.query.role === 'none' || isRole(request.query.role) ? request.query.role : undefined
      const status =
        request.query.status && request.query.status in USER_STATUSES
          ? (request.query.status as UserStatus)
          : undefined
      const page = pageNumber(request.query.page)
      const result = await listUsersInAuthorities(db, {
        authorityIds,
        search: q || undefined,
        role,
        status,
        offset: (page - 1) * USERS_PAGE_SIZE,
        limit: USERS_PAGE_SIZE,
      })
      const params = new URLSearchParams()
      if (q) params.set('q', q)
      if (role) params.set('role', role)
      if (status) params.set('status', status)
      const query = params.toString()
      return reply.render(
        'admin/views/users.njk',
        presentUserList({
          rows: result.rows,
          filters: { q, role: role ?? '', status: status ?? '' },
          pagination: paginate(
            page,
            USERS_PAGE_SIZE,
            result.total,
            `${paths.admin.users()}${query ? `?${query}` : ''}`,
          ),
          multipleAuthorities: authorityIds.length > 1,
        }),
      )
    },
  )

  // 2. Add a user.
  app.get(paths.admin.newUser(), admin('none'), async (request, reply) => {
    return reply.render('admin/views/new-user.njk', { fields: await roleFields(request, {}) })
  })

  app.post<Form>(paths.admin.newUser(), admin(), async (request, reply) => {
    const values = formValues(request.body)
    const form = validateRoleForm(newUserSchema, request.body)
    let errors = form.ok ? undefined : form.errors
    if (form.ok) errors = await checkRoleTargets(request, form.value)
    if (!form.ok || errors) {
      return reply.code(400).render('admin/views/new-user.njk', {
        fields: await roleFields(request, values),
        errors,
      })
    }
    const result = await addUser(db, actorFrom(request, clock), form.value, baseUrl)
    if (result.kind === 'not-found') return missing(reply)
    const role = ROLE_NAMES[form.value.role]
    const message = {
      invited: `${form.value.displayName} has been invited as ${role}. We have emailed them an invitation; they join when they accept it.`,
      'role-added': `${form.value.email} already had an account. They are now also ${role}.`,
      'already-has-role': `${form.value.email} already had an account with the role ${role}. Nothing has changed.`,
    }[result.kind]
    request.flash('success', message)
    return reply.redirect(paths.admin.user(result.userId), 303)
  })

  // 3. One user.
  async function renderUser(
    request: FastifyRequest,
    reply: FastifyReply,
    user: ManagedUser,
    state: { errors?: FormErrors; values?: RoleFormValues } = {},
  ) {
    return reply.code(state.errors ? 400 : 200).render('admin/views/user.njk', {
      ...presentUser(user, request.user!.id),
      fields: await roleFields(request, state.values ?? {}),
      errors: state.errors,
    })
  }

  app.get<UserParams>(
    paths.admin.user(':userId'),
    admin('admin.user.view'),
    async (request, reply) => {
      const user = await userInScope(request, reply)
      if (!user) return reply
      return renderUser(request, reply, user)
    },
  )

  app.post<UserParams & Form>(paths.admin.userRoles(':userId'), admin(), async (request, reply) => {
    const user = await userInScope(request, reply)
    if (!user) return reply
    const values = formValues(request.body)
    const form = validateRoleForm(roleSchema, request.body)
    let errors = form.ok ? undefined : form.errors
    if (form.ok) errors = await checkRoleTargets(request, form.value)
    if (!form.ok || errors) return renderUser(request, reply, user, { errors, values })
    const result = await addRole(db, actorFrom(request, clock), user.id, form.value)
    if (result === 'not-found') return missing(reply)
    if (result === 'not-member')
      return renderUser(request, reply, user, {
        errors: withFieldError(
          undefined,
          'authorityId',
          'Select an authority they have joined. To add them to another, invite them from Add a user',
        ),
        values,
      })
    const role = ROLE_NAMES[form.value.role]
    request.flash(
      'success',
      result === 'added'
        ? `${user.displayName} is now also ${role}.`
        : `${user.displayName} already had the role ${role}. Nothing has changed.`,
    )
    return reply.redirect(paths.admin.user(user.id), 303)
  })

  app.post<{ Params: { userId: string; membershipId: string } }>(
    paths.admin.removeUserRole(':userId', ':membershipId'),
    admin(),
    async (request, reply) => {
      const { userId, membershipId } = request.params
      const user = await userInScope(request, reply)
      if (!user) return reply
      const outcome = await removeRole(db, actorFrom(request, clock), userId, membershipId)
      if (outcome.result === 'not-found') return missing(reply)
      const what = `${ROLE_NAMES[outcome.membership!.role]} of ${outcome.membership!.authorityName}`
      if (outcome.result !== 'removed') {
        const text =
          outcome.result === 'self'
            ? 'You cannot remove your own Virtual School administrator role. Ask another administrator to do it.'
            : `You cannot remove the last active Virtual School administrator of ${outcome.membership!.authorityName}. Add another administrator first.`
        return renderUser(request, reply, user, {
          errors: { list: [{ text, href: '#roles' }], fields: {} },
        })
      }
      request.flash('success', `The role ${what} has been removed.`)
      return reply.redirect(paths.admin.user(userId), 303)
    },
  )

  app.post<UserParams & Form>(
    paths.admin.removeFromAuthority(':userId'),
    admin(),
    async (request, reply) => {
      const { userId } = request.params
      const user = await userInScope(request, reply)
      if (!user) return reply
      const outcome = await removeFromAuthority(
        db,
        actorFrom(request, clock),
        userId,
        str(request.body?.authorityId),
      )
      if (outcome.result === 'not-found') return missing(reply)
      if (outcome.result !== 'removed') {
        const text =
          outcome.result === 'self'
            ? 'You cannot remove yourself from your own authority. Ask another administrator to do it.'
            : `You cannot remove the last active Virtual School administrator of ${outcome.authorityName}. Add another administrator first.`
        return renderUser(request, reply, user, {
          errors: { list: [{ text, href: '#roles' }], fields: {} },
        })
      }
      request.flash(
        'success',
        `${user.displayName} has been removed from ${outcome.authorityName}: they no longer have any role there.`,
      )
      return reply.redirect(paths.admin.user(userId), 303)
    },
  )

  app.post<UserParams>(paths.admin.deactivateUser(':userId'), admin(), async (request, reply) => {
    const { userId } = request.params
    const user = await userInScope(request, reply)
    if (!user) return reply
    const result = await deactivateUser(db, actorFrom(request, clock), userId)
    if (result === 'not-found') return missing(reply)
    if (result !== 'deactivated' && result !== 'already') {
      const text =
        result === 'self'
          ? 'You cannot deactivate your own account.'
          : result === 'last-admin'
            ? `You cannot deactivate ${user.displayName}: they are the only active Virtual School administrator of an authority. Add another administrator first.`
            : accountWideRefusalText(user, 'deactivate', result)
      return renderUser(request, reply, user, {
        errors: { list: [{ text, href: '#account' }], fields: {} },
      })
    }
    request.flash(
      'success',
      `${user.displayName} has been deactivated and signed out. They cannot sign in until they are reactivated.`,
    )
    return reply.redirect(paths.admin.user(userId), 303)
  })

  app.post<UserParams>(paths.admin.reactivateUser(':userId'), admin(), async (request, reply) => {
    const { userId } = request.params
    const user = await userInScope(request, reply)
    if (!user) return reply
    const result = await reactivateUser(db, actorFrom(request, clock), userId)
    if (result === 'not-found') return missing(reply)
    if (result === 'roles-elsewhere' || result === 'pending')
      return renderUser(request, reply, user, {
        errors: {
          list: [{ text: accountWideRefusalText(user, 'reactivate', result), href: '#account' }],
          fields: {},
        },
      })
    request.flash(
      'success',
      result === 'active'
        ? `${user.displayName} has been reactivated and can sign in again.`
        : result === 'invited'
          ? `${user.displayName} has been reactivated. They have not accepted their invitation yet: send it again so they have a link that works.`
          : `${user.displayName} was not deactivated. Nothing has changed.`,
    )
    return reply.redirect(paths.admin.user(userId), 303)
  })

  app.post<UserParams>(paths.admin.resetUserMfa(':userId'), admin(), async (request, reply) => {
    const { userId } = request.params
    const user = await userInScope(request, reply)
    if (!user) return reply
    const result = await resetTwoStepVerification(db, actorFrom(request, clock), userId)
    if (result === 'not-found') return missing(reply)
    if (result !== 'reset')
      return renderUser(request, reply, user, {
        errors: {
          list: [{ text: accountWideRefusalText(user, 'reset-mfa', result), href: '#account' }],
          fields: {},
        },
      })
    request.flash(
      'success',
      'Two-step verification has been reset and the user has been signed out. They will set it up again when they next sign in.',
    )
    return reply.redirect(paths.admin.user(userId), 303)
  })

  app.post<UserParams>(paths.admin.resendInvitation(':userId'), admin(), async (request, reply) => {
    const { userId } = request.params
    if (!(await userInScope(request, reply))) return reply
    const result = await resendInvitation(db, actorFrom(request, clock), userId, baseUrl)
    if (result === 'not-found') return missing(reply)
    request.flash(
      'success',
      result === 'sent'
        ? 'A new invitation has been sent. The link in any earlier invitation no longer works.'
        : 'This user has already accepted their invitation. Nothing was sent.',
    )
    return reply.redirect(paths.admin.user(userId), 303)
  })

  app.post<UserParams>(
    paths.admin.withdrawInvitation(':userId'),
    admin(),
    async (request, reply) => {
      const { userId } = request.params
      const user = await userInScope(request, reply)
      if (!user) return reply
      const result = await withdrawInvitation(db, actorFrom(request, clock), userId)
      if (result === 'not-found') return missing(reply)
      if (result === 'not-invited') {
        request.flash('success', `${user.displayName} has already joined. Nothing has changed.`)
        return reply.redirect(paths.admin.user(userId), 303)
      }
      request.flash(
        'success',
        `The invitation to ${user.displayName} (${user.email}) has been withdrawn. The link in it no longer works.`,
      )
      return reply.redirect(paths.admin.users(), 303)
    },
  )

  // 4. The children a user can see.
  async function renderChildren(
    request: FastifyRequest<{ Params: { userId: string }; Querystring: { page?: string } }>,
    reply: FastifyReply,
    user: ManagedUser,
    state: { errors?: FormErrors; values?: { caseReference?: string; capacity?: string } } = {},
  ) {
    const authorityIds = authoritiesFor(request.user!, 'admin.users')
    const page = pageNumber(request.query.page)
    const [counts, access] = await Promise.all([
      countChildrenByAuthority(db, authorityIds),
      listUserChildAccess(db, user.id, authorityIds, {
        offset: (page - 1) * CHILDREN_PAGE_SIZE,
        limit: CHILDREN_PAGE_SIZE,
      }),
    ])
    return reply.code(state.errors ? 400 : 200).render('admin/views/user-children.njk', {
      ...presentUserChildren({
        user,
        childCounts: counts,
        rows: access.rows,
        pagination: paginate(
          page,
          CHILDREN_PAGE_SIZE,
          access.total,
          paths.admin.userChildren(user.id),
        ),
        values: state.values ?? {},
      }),
      errors: state.errors,
    })
  }

  app.get<UserParams & { Querystring: { page?: string } }>(
    paths.admin.userChildren(':userId'),
    admin('admin.user.children'),
    async (request, reply) => {
      const user = await userInScope(request, reply)
      if (!user) return reply
      return renderChildren(request, reply, user)
    },
  )

  app.post<UserParams & Form & { Querystring: { page?: string } }>(
    paths.admin.userChildren(':userId'),
    admin(),
    async (request, reply) => {
      const user = await userInScope(request, reply)
      if (!user) return reply
      const values = {
        caseReference: str(request.body?.caseReference).slice(0, 200),
        capacity: str(request.body?.capacity),
      }
      const form = validateForm(childAccessSchema, request.body, { capacity: 'capacity' })
      if (!form.ok) return renderChildren(request, reply, user, { errors: form.errors, values })
      const result = await addChildAccess(db, actorFrom(request, clock), user.id, form.value)
      if (result.result === 'not-found') return missing(reply)
      if (result.result !== 'added') {
        const [field, text] =
          result.result === 'no-such-child'
            ? ['caseReference', 'Enter the case reference of a child your authority looks after']
            : result.result === 'capacity'
              ? ['capacity', 'Select a role they hold in the child’s authority']
              : ['caseReference', `${user.displayName} can already see this child`]
        return renderChildren(request, reply, user, {
          errors: withFieldError(undefined, field, text),
          values,
        })
      }
      request.flash('success', `${user.displayName} can now see ${result.childName}.`)
      return reply.redirect(paths.admin.userChildren(user.id), 303)
    },
  )

  app.post<{ Params: { userId: string; accessId: string } }>(
    paths.admin.removeUserChildAccess(':userId', ':accessId'),
    admin(),
    async (request, reply) => {
      const { userId, accessId } = request.params
      if (!(await userInScope(request, reply))) return reply
      const result = await removeChildAccess(db, actorFrom(request, clock), userId, accessId)
      if (result.result === 'not-found') return missing(reply)
      request.flash('success', `${result.childName} has been taken off their list.`)
      return reply.redirect(paths.admin.userChildren(userId), 303)
    },
  )

  // 5. A user's activity log.
  app.get<UserParams & { Querystring: AuditLogQuery }>(
    paths.admin.userActivity(':userId'),
    admin('admin.audit.view', 'admin.audit.read'),
    async (request, reply) => {
      const viewer = request.user!
      const user = await userInScope(request, reply, 'admin.audit.read')
      if (!user) return reply
      const parsed = parseAuditLogQuery(request.query)
      const model = {
        pageTitle: `Activity of ${user.displayName}`,
        user,
        canManage: authoritiesFor(viewer, 'admin.users').length > 0,
        filters: presentFilters(parsed.values, parsed.ok ? undefined : parsed.errors),
      }
      if (!parsed.ok)
        return reply
          .code(400)
          .render('admin/views/user-activity.njk', { ...model, errors: parsed.errors })
      const page = pageNumber(request.query.page)
      // Only what they did in the viewer's authorities; their sign-ins and other account events
      // too when the account is the viewer's alone (ADR 9).
      const within = {
        authorityIds: authoritiesFor(viewer, 'admin.audit.read'),
        accountEvents: user.joined && !user.rolesElsewhere,
      }
      const result = await listAuditEvents(db, { userId: user.id, within }, parsed.filter, {
        offset: (page - 1) * AUDIT_PAGE_SIZE,
        limit: AUDIT_PAGE_SIZE,
      })
      // The viewer sees a child's name only where they could open the child's record.
      const seesAllOf = new Set(
        viewer.memberships
          .filter((m) => isVirtualSchoolRole(m.role) || m.role === 'auditor')
          .map((m) => m.authorityId),
      )
      return reply.render('admin/views/user-activity.njk', {
        ...model,
        rows: presentUserActivityRows(result.rows, (row) =>
          seesAllOf.has(row.childAuthorityId ?? ''),
        ),
        pagination: presentLogPagination(
          page,
          result.total,
          paths.admin.userActivity(user.id),
          parsed.values,
        ),
      })
    },
  )
}
