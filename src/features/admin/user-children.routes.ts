import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { paths } from '../../paths.ts'
import { actorFrom } from '../../shared/actor.ts'
import { validateForm, type FormErrors } from '../../forms/validation.ts'
import { paginate, pageNumber } from '../../views/pagination.ts'
import { countChildrenByAuthority, listUserChildAccess } from './admin-children.repository.ts'
import { authoritiesFor } from '../../shared/authority-scope.ts'
import { addChildAccess, removeChildAccess } from './admin-child-access.service.ts'
import { childAccessSchema, withFieldError } from './admin.schemas.ts'
import { presentUserChildren } from './admin.presenter.ts'
import type { AdminRouteOptions } from './routes.ts'
import { adminRoute, loadManagedUser, managedUserOf, missing } from './user-context.ts'
import {
  childAccessRefusal,
  childAddedMessage,
  childRemovedMessage,
} from './user-changes.presenter.ts'
import { childAccessValues, type Body } from './user.form.ts'

const CHILDREN_PAGE_SIZE = 25

type Params = { Params: { userId: string }; Querystring: { page?: string } }

/** The children a user can see, as the administrator puts them on and takes them off the list. */
export const userChildrenRoutes: FastifyPluginAsync<AdminRouteOptions> = async (
  app,
  { db, clock },
) => {
  async function renderChildren(
    request: FastifyRequest<Params>,
    reply: FastifyReply,
    state: { errors?: FormErrors; values?: { caseReference?: string; capacity?: string } } = {},
  ) {
    const user = managedUserOf(request)
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

  app.get<Params>(
    paths.admin.userChildren(':userId'),
    { ...adminRoute('admin.user.children'), preHandler: loadManagedUser(db) },
    async (request, reply) => renderChildren(request, reply),
  )

  app.post<Params & { Body: Body }>(
    paths.admin.userChildren(':userId'),
    { ...adminRoute(), preHandler: loadManagedUser(db) },
    async (request, reply) => {
      const user = managedUserOf(request)
      const values = childAccessValues(request.body)
      const form = validateForm(childAccessSchema, request.body, { capacity: 'capacity' })
      if (!form.ok) return renderChildren(request, reply, { errors: form.errors, values })
      const result = await addChildAccess(
        db,
        actorFrom(request, clock),
        authoritiesFor(request.user!, 'admin.users'),
        user.id,
        form.value,
      )
      if (!result.ok) {
        const { code } = result.error
        if (code === 'admin.user.not-found') return missing(reply)
        const [field, text] = childAccessRefusal(user, code)
        return renderChildren(request, reply, {
          errors: withFieldError(undefined, field, text),
          values,
        })
      }
      request.flash('success', childAddedMessage(user, result.value.childName))
      return reply.redirect(paths.admin.userChildren(user.id), 303)
    },
  )

  app.post<{ Params: { userId: string; accessId: string } }>(
    paths.admin.removeUserChildAccess(':userId', ':accessId'),
    { ...adminRoute(), preHandler: loadManagedUser(db) },
    async (request, reply) => {
      const { userId, accessId } = request.params
      const result = await removeChildAccess(
        db,
        actorFrom(request, clock),
        authoritiesFor(request.user!, 'admin.users'),
        userId,
        accessId,
      )
      if (!result.ok) return missing(reply)
      request.flash('success', childRemovedMessage(result.value.childName))
      return reply.redirect(paths.admin.userChildren(userId), 303)
    },
  )
}
