import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { actorFrom } from '../../shared/actor.ts'
import { INVITATIONS_TITLE, declinedText, invitationRows, joinedText } from './account.presenter.ts'
import {
  acceptInvitation,
  declineInvitation,
  listPendingInvitations,
} from './invitations.service.ts'

/*
 * A person with an account answers an invitation to another authority while signed in (ADR 9).
 * The invitations are found by the signed-in account, so someone signed in as anybody else
 * finds none: their page says so, and a posted answer is refused with a 404.
 */

export interface InvitationRouteOptions {
  db: Database
  clock: Clock
}

type AuthorityParams = { Params: { authorityId: string } }

const signedIn = (audit: 'none' | typeof RECORDED_IN_TRANSACTION) => ({
  config: { access: { signedIn: true as const }, audit },
})

export const invitationRoutes: FastifyPluginAsync<InvitationRouteOptions> = async (
  app,
  { db, clock },
) => {
  app.get(paths.account.invitations(), signedIn('none'), async (request, reply) => {
    const invitations = await listPendingInvitations(db, request.user!.id)
    return reply.render('account/views/invitations.njk', {
      pageTitle: INVITATIONS_TITLE,
      invitations: invitationRows(invitations),
    })
  })

  app.post<AuthorityParams>(
    paths.account.acceptJoin(':authorityId'),
    signedIn(RECORDED_IN_TRANSACTION),
    async (request, reply) => {
      const result = await acceptInvitation(
        db,
        actorFrom(request, clock),
        request.params.authorityId,
      )
      if (!result.ok) return reply.notFound()
      request.flash('success', joinedText(result.value.authorityName, result.value.roles))
      return reply.redirect(paths.home(), 303)
    },
  )

  app.post<AuthorityParams>(
    paths.account.declineJoin(':authorityId'),
    signedIn(RECORDED_IN_TRANSACTION),
    async (request, reply) => {
      const result = await declineInvitation(
        db,
        actorFrom(request, clock),
        request.params.authorityId,
      )
      if (!result.ok) return reply.notFound()
      request.flash('success', declinedText(result.value.authorityName))
      return reply.redirect(paths.account.invitations(), 303)
    },
  )
}
