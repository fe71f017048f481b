import type { FastifyReply, FastifyRequest } from 'fastify'
import { londonDate } from '../../domain/calendar-date.ts'
import type { Clock } from '../../domain/clock.ts'
import { canAct } from '../../domain/permissions.ts'
import { actorFrom, type PersonActor } from '../../shared/actor.ts'
import { authoritiesFor, readScope, type Query, type Scope } from '../../shared/list-filters.ts'

/*
 * What a reminder sent from an oversight list (overdue PEPs, schools missing data) loads before
 * it is sent: the authority and term the form was posted for, among those where the person may
 * remind, and the person as the actor, in the role they remind in there.
 */

export interface Reminding extends Scope {
  actor: PersonActor & { authorityId: string }
}

/**
 * The authority, term and actor of a posted reminder. Someone who may remind in none of the
 * authority's roles is refused (403) and audited, as the access plugin would, and gets undefined.
 */
export async function remindingIn(
  request: FastifyRequest,
  reply: FastifyReply,
  clock: Clock,
  body: Query,
): Promise<Reminding | undefined> {
  const user = request.user!
  const today = londonDate(clock.now())
  const asked = readScope(body, authoritiesFor(user, 'oversight.remind'), today)
  if (!asked.scope) {
    await request.audit({
      action: 'access.denied',
      outcome: 'denied',
      details: { action: 'oversight.remind', authority: asked.values.authority },
    })
    void reply.forbidden()
    return undefined
  }
  const { authority, term } = asked.scope
  const role = user.memberships.find(
    (m) => m.authorityId === authority.id && canAct([m.role], 'oversight.remind'),
  )!.role
  return {
    authority,
    term,
    actor: { ...actorFrom(request, clock), role, authorityId: authority.id },
  }
}
