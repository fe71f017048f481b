import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { isUuid } from '../../domain/ids.ts'
import type { FormErrors } from '../../forms/validation.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { actorFrom } from '../../shared/actor.ts'
import { childPageModel, refuseIfReadOnly } from '../../shared/child-header.ts'
import {
  CARERS_PAGE_TITLES,
  REFUSALS,
  carerInvitationValues,
  invitedText,
  presentCarerInvitations,
  readCarerInvitation,
  resentText,
  withdrawnText,
} from './carer-invitations.presenter.ts'
import { listCarerInvitations } from './carer-invitations.repository.ts'
import {
  inviteCarer,
  resendCarerInvitation,
  withdrawCarerInvitation,
} from './carer-invitations.service.ts'

/*
 * The carers invited to a child (issue 20): the list, the invitation form, sending again and
 * withdrawing. For the child's social worker and the Virtual School only (staff: ADR 10).
 */

type ChildParams = { Params: { childId: string } }
type InvitationParams = { Params: { childId: string; invitationId: string } }

const ACCESS = { action: 'child.carers.invite', child: true, reads: 'access-list' } as const

export const carerInvitationRoutes: FastifyPluginAsync<{
  db: Database
  clock: Clock
  baseUrl: string
}> = async (app, { db, clock, baseUrl }) => {
  app.get<ChildParams>(
    paths.children.carers(':childId'),
    { config: { access: ACCESS, audit: 'child.carers.view' } },
    async (request, reply) => {
      const child = request.child!
      const rows = await listCarerInvitations(db, child.id)
      return reply.render('children/views/carers.njk', {
        ...childPageModel(request, 'record'),
        pageTitle: CARERS_PAGE_TITLES.list(child),
        invitations: presentCarerInvitations(child.id, rows, clock.now()),
        inviteHref: paths.children.inviteCarer(child.id),
      })
    },
  )

  const renderForm = (
    request: FastifyRequest,
    reply: FastifyReply,
    values: { name: string; email: string },
    errors?: FormErrors,
  ) => {
    const child = request.child!
    return reply.code(errors ? 400 : 200).render('children/views/invite-carer.njk', {
      ...childPageModel(request, 'record'),
      pageTitle: CARERS_PAGE_TITLES.invite(child),
      values,
      errors,
      backHref: paths.children.carers(child.id),
    })
  }

  app.get<ChildParams>(
    paths.children.inviteCarer(':childId'),
    { config: { access: ACCESS, audit: 'child.carers.view' } },
    async (request, reply) => {
      if (refuseIfReadOnly(request, reply)) return reply
      return renderForm(request, reply, { name: '', email: '' })
    },
  )

  app.post<ChildParams & { Body: Record<string, unknown> }>(
    paths.children.inviteCarer(':childId'),
    { config: { access: ACCESS, audit: RECORDED_IN_TRANSACTION } },
    async (request, reply) => {
      if (refuseIfReadOnly(request, reply)) return reply
      const child = request.child!
      const values = carerInvitationValues(request.body)
      const form = readCarerInvitation(request.body)
      if (!form.ok) return renderForm(request, reply, values, form.errors)
      const result = await inviteCarer(db, actorFrom(request, clock), {
        childId: child.id,
        authorityId: child.authorityId,
        name: form.value.name,
        email: form.value.email,
        inviterName: request.user!.displayName,
        baseUrl,
      })
      if (!result.ok) {
        const { text } = REFUSALS[result.error.code]
        return renderForm(request, reply, values, {
          list: [{ text, href: '#email' }],
          fields: { email: { text } },
        })
      }
      request.flash('success', invitedText(form.value.name, result.value.linked))
      return reply.redirect(paths.children.carers(child.id), 303)
    },
  )

  const change = (
    path: string,
    run: typeof resendCarerInvitation | typeof withdrawCarerInvitation,
    text: (name: string) => string,
  ) =>
    app.post<InvitationParams>(
      path,
      { config: { access: ACCESS, audit: RECORDED_IN_TRANSACTION } },
      async (request, reply) => {
        if (refuseIfReadOnly(request, reply)) return reply
        const child = request.child!
        const { invitationId } = request.params
        if (!isUuid(invitationId)) return reply.notFound()
        const result = await run(db, actorFrom(request, clock), {
          childId: child.id,
          authorityId: child.authorityId,
          invitationId,
          inviterName: request.user!.displayName,
          baseUrl,
        })
        if (!result.ok) return reply.notFound()
        request.flash('success', text(result.value.name))
        return reply.redirect(paths.children.carers(child.id), 303)
      },
    )
  change(
    paths.children.resendCarerInvitation(':childId', ':invitationId'),
    resendCarerInvitation,
    resentText,
  )
  change(
    paths.children.withdrawCarerInvitation(':childId', ':invitationId'),
    withdrawCarerInvitation,
    withdrawnText,
  )
}
