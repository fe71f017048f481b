import type { FastifyRequest } from 'fastify'
import type { Queryable } from '../db/connection.ts'
import type { AuditOutcome } from '../db/schema.ts'
import type { AuditAction } from '../domain/audit.ts'
import { londonDate, type CalendarDate } from '../domain/calendar-date.ts'
import type { Clock } from '../domain/clock.ts'
import type { Role } from '../domain/roles.ts'
import { recordAuditEvent } from './audit-events.ts'

/*
 * Who is acting, as plain data (ADR 7). A route builds it once from the request with
 * `actorFrom(request, clock)` and hands it to a service; a job builds it with `systemActor(now)`.
 * Services never see the web request: they can be called from a job, the API or a test with
 * the same actor, and everything they write about "who, in what role, when" comes from here.
 */

/** What OpenPEP records as the acting role for what it does by itself (jobs). */
export const SYSTEM_ROLE = 'system'

/** The acting role recorded for a system calling the API (issue 22): the client is the actor. */
export const API_CLIENT_ROLE = 'api-client'

/** Where a change came from, for the audit trail only: copied from the request, never the request. */
export interface Origin {
  method: string
  path: string
  ip: string
  userAgent: string | null
  requestId: string
}

export interface Actor {
  /** The signed-in person; null for OpenPEP itself (a job) and for an API client. */
  userId: string | null
  /** The role they act in for this change (from the route's access rule), `system` or `api-client`. */
  role: Role | typeof SYSTEM_ROLE | typeof API_CLIENT_ROLE | null
  /** The API client acting (with the role `api-client`), registered for `authorityId`. */
  clientId?: string
  /** The authority the change is made in, when the route knows it (a child's, a PEP's). */
  authorityId?: string
  /** The one "now" of the change: every timestamp it writes is this. */
  now: Date
  /** `now` as a calendar date in England. */
  today: CalendarDate
  origin?: Origin
}

/** A person acting (every signed-in page): jobs are the only actors without a user. */
export type PersonActor = Actor & {
  userId: string
  role: Exclude<Actor['role'], typeof API_CLIENT_ROLE>
}

/**
 * The actor of a signed-in request: the user, in the role the access plugin chose for the
 * route, in the child's authority on child routes. Throws on a request with nobody signed in
 * (the access plugin has refused those before any handler runs).
 */
export function actorFrom(request: FastifyRequest, clock: Clock): PersonActor {
  const user = request.user
  if (!user) throw new Error(`${request.method} ${request.url}: no signed-in user to act`)
  const now = clock.now()
  const authorityId = request.child?.authorityId
  return {
    userId: user.id,
    role: request.actingRole,
    ...(authorityId ? { authorityId } : {}),
    now,
    today: londonDate(now),
    origin: originOf(request),
  }
}

/**
 * The actor of a sign-in page, where nobody is signed in yet: no role, and the person signing in
 * once a step has found them (`userId`). Its facts name the account tried as their subject.
 */
export function signingInActor(request: FastifyRequest, clock: Clock): Actor
export function signingInActor(
  request: FastifyRequest,
  clock: Clock,
  userId: string,
): Actor & { userId: string }
export function signingInActor(request: FastifyRequest, clock: Clock, userId?: string): Actor {
  const now = clock.now()
  return {
    userId: userId ?? request.user?.id ?? null,
    role: null,
    now,
    today: londonDate(now),
    origin: originOf(request),
  }
}

/** Where a request came from, for the audit trail (also for public pages, with no actor). */
export function originOf(request: FastifyRequest): Origin {
  return {
    method: request.method,
    path: request.url.split('?')[0] ?? '',
    ip: request.ip,
    userAgent: request.headers['user-agent'] ?? null,
    requestId: request.id,
  }
}

/** OpenPEP acting by itself (a scheduled job): no user, the system role. */
export function systemActor(now: Date): Actor {
  return { userId: null, role: SYSTEM_ROLE, now, today: londonDate(now) }
}

/** An API client acting for its authority: no user, the client recorded as the actor. */
export function clientActor(
  client: { id: string; authorityId: string },
  now: Date,
  origin?: Origin,
): Actor & { clientId: string; authorityId: string } {
  return {
    userId: null,
    role: API_CLIENT_ROLE,
    clientId: client.id,
    authorityId: client.authorityId,
    now,
    today: londonDate(now),
    ...(origin ? { origin } : {}),
  }
}

/** What a service says about a change; the actor fills in who, when and from where. */
export interface AuditFact {
  action: AuditAction
  outcome?: AuditOutcome
  authorityId?: string | null
  childId?: string | null
  subjectUserId?: string | null
  /** Ids and facts only: never a password, token or free text someone typed. */
  details?: Record<string, unknown>
}

/**
 * Writes an audit event for a change inside its transaction (`trx`), so the change and its
 * event commit together or not at all. A failure propagates: what cannot be audited does not
 * happen.
 */
export async function audit(trx: Queryable, actor: Actor, fact: AuditFact): Promise<void> {
  await recordAuditEvent(trx, {
    occurredAt: actor.now,
    userId: actor.userId,
    apiClientId: actor.clientId ?? null,
    actingRole: actor.role,
    authorityId: fact.authorityId ?? actor.authorityId ?? null,
    action: fact.action,
    outcome: fact.outcome ?? 'success',
    childId: fact.childId ?? null,
    subjectUserId: fact.subjectUserId ?? null,
    method: actor.origin?.method ?? null,
    path: actor.origin?.path ?? null,
    ip: actor.origin?.ip ?? null,
    userAgent: actor.origin?.userAgent ?? null,
    requestId: actor.origin?.requestId ?? null,
    details: fact.details ?? {},
  })
}
