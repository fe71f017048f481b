import type { FastifyPluginAsync } from 'fastify'
import type { UserStatus } from '../../db/schema.ts'
import { isRole } from '../../domain/roles.ts'
import { paths } from '../../paths.ts'
import { actorFrom } from '../../shared/actor.ts'
import { paginate, pageNumber } from '../../views/pagination.ts'
import { authoritiesFor } from '../../shared/authority-scope.ts'
import { listUsersInAuthorities } from './admin-users.repository.ts'
import { addUser } from './admin-users.service.ts'
import { newUserSchema, validateRoleForm } from './admin.schemas.ts'
import { NEW_USER_TITLE, USER_STATUSES, presentUserList } from './admin.presenter.ts'
import type { AdminRouteOptions } from './routes.ts'
import { adminRoute, missing } from './user-context.ts'
import { userAddedMessage } from './user-changes.presenter.ts'
import { checkRoleTargets, roleFields, roleFormValues, searchText, type Body } from './user.form.ts'

const USERS_PAGE_SIZE = 25

/** The users of the administrator's authorities, and adding one. */
export const usersRoutes: FastifyPluginAsync<AdminRouteOptions> = async (
  app,
  { db, clock, baseUrl },
) => {
  app.get<{ Querystring: { q?: string; role?: string; status?: string; page?: string } }>(
    paths.admin.users(),
    adminRoute('admin.users.view'),
    async (request, reply) => {
      const authorityIds = authoritiesFor(request.user!, 'admin.users')
      const q = searchText(request.query.q)
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

  app.get(paths.admin.newUser(), adminRoute('none'), async (request, reply) => {
    const authorityIds = authoritiesFor(request.user!, 'admin.users')
    return reply.render('admin/views/new-user.njk', {
      pageTitle: NEW_USER_TITLE,
      fields: await roleFields(db, authorityIds, {}),
    })
  })

  app.post<{ Body: Body }>(paths.admin.newUser(), adminRoute(), async (request, reply) => {
    const authorityIds = authoritiesFor(request.user!, 'admin.users')
    const values = roleFormValues(request.body)
    const form = validateRoleForm(newUserSchema, request.body)
    let errors = form.ok ? undefined : form.errors
    if (form.ok) errors = await checkRoleTargets(db, authorityIds, form.value)
    if (!form.ok || errors) {
      return reply.code(400).render('admin/views/new-user.njk', {
        pageTitle: NEW_USER_TITLE,
        fields: await roleFields(db, authorityIds, values),
        errors,
      })
    }
    const result = await addUser(db, actorFrom(request, clock), authorityIds, form.value, baseUrl)
    if (!result.ok) return missing(reply)
    request.flash('success', userAddedMessage(result.value.kind, form.value))
    return reply.redirect(paths.admin.user(result.value.userId), 303)
  })
}
