import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { paths } from '../../paths.ts'
import { actorFrom } from '../../shared/actor.ts'
import type { FormErrors } from '../../forms/validation.ts'
import { authoritiesFor } from '../../shared/authority-scope.ts'
import {
  deactivateUser,
  reactivateUser,
  resendInvitation,
  resetTwoStepVerification,
  withdrawInvitation,
} from './admin-accounts.service.ts'
import { addRole, removeFromAuthority, removeRole } from './admin-users.service.ts'
import { roleSchema, validateRoleForm, withFieldError } from './admin.schemas.ts'
import { presentUser, type RoleFormValues } from './admin.presenter.ts'
import type { AdminRouteOptions } from './routes.ts'
import { adminRoute, loadManagedUser, managedUserOf, missing } from './user-context.ts'
import {
  MFA_RESET_MESSAGE,
  NOT_MEMBER_TEXT,
  accountRefusalText,
  deactivatedMessage,
  invitationResentMessage,
  invitationWithdrawnMessage,
  reactivatedMessage,
  removalRefusalText,
  removedFromAuthorityMessage,
  roleAddedMessage,
  roleRemovedMessage,
} from './user-changes.presenter.ts'
import {
  checkRoleTargets,
  chosenAuthority,
  roleFields,
  roleFormValues,
  type Body,
} from './user.form.ts'

type UserParams = { Params: { userId: string } }

/** One user's page, and the changes made from it: their roles and their account. */
export const userRoutes: FastifyPluginAsync<AdminRouteOptions> = async (
  app,
  { db, clock, baseUrl },
) => {
  const change = { ...adminRoute(), preHandler: loadManagedUser(db) }
  const scope = (request: FastifyRequest) => authoritiesFor(request.user!, 'admin.users')

  async function renderUser(
    request: FastifyRequest,
    reply: FastifyReply,
    state: { errors?: FormErrors; values?: RoleFormValues } = {},
  ) {
    return reply.code(state.errors ? 400 : 200).render('admin/views/user.njk', {
      ...presentUser(managedUserOf(request), request.user!.id),
      fields: await roleFields(db, scope(request), state.values ?? {}),
      errors: state.errors,
    })
  }

  /** A refusal shown at the top of the user's page, linked to the part it is about. */
  const refused = (request: FastifyRequest, reply: FastifyReply, text: string, href: string) =>
    renderUser(request, reply, { errors: { list: [{ text, href }], fields: {} } })

  app.get<UserParams>(
    paths.admin.user(':userId'),
    { ...adminRoute('admin.user.view'), preHandler: loadManagedUser(db) },
    async (request, reply) => renderUser(request, reply),
  )

  app.post<UserParams & { Body: Body }>(
    paths.admin.userRoles(':userId'),
    change,
    async (request, reply) => {
      const user = managedUserOf(request)
      const values = roleFormValues(request.body)
      const form = validateRoleForm(roleSchema, request.body)
      let errors = form.ok ? undefined : form.errors
      if (form.ok) errors = await checkRoleTargets(db, scope(request), form.value)
      if (!form.ok || errors) return renderUser(request, reply, { errors, values })
      const result = await addRole(
        db,
        actorFrom(request, clock),
        scope(request),
        user.id,
        form.value,
      )
      if (!result.ok && result.error.code === 'admin.user.not-member')
        return renderUser(request, reply, {
          errors: withFieldError(undefined, 'authorityId', NOT_MEMBER_TEXT),
          values,
        })
      if (!result.ok) return missing(reply)
      request.flash('success', roleAddedMessage(user, form.value.role, result.value))
      return reply.redirect(paths.admin.user(user.id), 303)
    },
  )

  app.post<{ Params: { userId: string; membershipId: string } }>(
    paths.admin.removeUserRole(':userId', ':membershipId'),
    change,
    async (request, reply) => {
      const { userId, membershipId } = request.params
      const result = await removeRole(
        db,
        actorFrom(request, clock),
        scope(request),
        userId,
        membershipId,
      )
      if (!result.ok && result.error.code === 'admin.user.not-found') return missing(reply)
      if (!result.ok)
        return refused(request, reply, removalRefusalText(result.error, 'role'), '#roles')
      request.flash('success', roleRemovedMessage(result.value))
      return reply.redirect(paths.admin.user(userId), 303)
    },
  )

  app.post<UserParams & { Body: Body }>(
    paths.admin.removeFromAuthority(':userId'),
    change,
    async (request, reply) => {
      const { userId } = request.params
      const result = await removeFromAuthority(
        db,
        actorFrom(request, clock),
        scope(request),
        userId,
        chosenAuthority(request.body),
      )
      if (!result.ok && result.error.code === 'admin.user.not-found') return missing(reply)
      if (!result.ok)
        return refused(request, reply, removalRefusalText(result.error, 'authority'), '#roles')
      request.flash(
        'success',
        removedFromAuthorityMessage(managedUserOf(request), result.value.authorityName),
      )
      return reply.redirect(paths.admin.user(userId), 303)
    },
  )

  app.post<UserParams>(paths.admin.deactivateUser(':userId'), change, async (request, reply) => {
    const { userId } = request.params
    const user = managedUserOf(request)
    const result = await deactivateUser(db, actorFrom(request, clock), scope(request), userId)
    if (!result.ok && result.error.code === 'admin.user.not-found') return missing(reply)
    if (!result.ok)
      return refused(
        request,
        reply,
        accountRefusalText(user, 'deactivate', result.error.code),
        '#account',
      )
    request.flash('success', deactivatedMessage(user))
    return reply.redirect(paths.admin.user(userId), 303)
  })

  app.post<UserParams>(paths.admin.reactivateUser(':userId'), change, async (request, reply) => {
    const { userId } = request.params
    const user = managedUserOf(request)
    const result = await reactivateUser(db, actorFrom(request, clock), scope(request), userId)
    if (!result.ok && result.error.code === 'admin.user.not-found') return missing(reply)
    if (!result.ok)
      return refused(
        request,
        reply,
        accountRefusalText(user, 'reactivate', result.error.code),
        '#account',
      )
    request.flash('success', reactivatedMessage(user, result.value))
    return reply.redirect(paths.admin.user(userId), 303)
  })

  app.post<UserParams>(paths.admin.resetUserMfa(':userId'), change, async (request, reply) => {
    const { userId } = request.params
    const user = managedUserOf(request)
    const result = await resetTwoStepVerification(
      db,
      actorFrom(request, clock),
      scope(request),
      userId,
    )
    if (!result.ok && result.error.code === 'admin.user.not-found') return missing(reply)
    if (!result.ok)
      return refused(
        request,
        reply,
        accountRefusalText(user, 'reset-mfa', result.error.code),
        '#account',
      )
    request.flash('success', MFA_RESET_MESSAGE)
    return reply.redirect(paths.admin.user(userId), 303)
  })

  app.post<UserParams>(paths.admin.resendInvitation(':userId'), change, async (request, reply) => {
    const { userId } = request.params
    const result = await resendInvitation(
      db,
      actorFrom(request, clock),
      scope(request),
      userId,
      baseUrl,
    )
    if (!result.ok) return missing(reply)
    request.flash('success', invitationResentMessage(result.value))
    return reply.redirect(paths.admin.user(userId), 303)
  })

  app.post<UserParams>(
    paths.admin.withdrawInvitation(':userId'),
    change,
    async (request, reply) => {
      const { userId } = request.params
      const user = managedUserOf(request)
      const result = await withdrawInvitation(db, actorFrom(request, clock), scope(request), userId)
      if (!result.ok) return missing(reply)
      request.flash('success', invitationWithdrawnMessage(user, result.value))
      return reply.redirect(
        result.value === 'withdrawn' ? paths.admin.users() : paths.admin.user(userId),
        303,
      )
    },
  )
}
