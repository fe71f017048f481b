import type { FastifyRequest } from 'fastify'
import type { Action } from '../domain/permissions.ts'
import type { AuditAction } from '../domain/audit.ts'
import type { RecordPart } from '../domain/visibility.ts'
import type { ApiScope } from '../domain/api-scopes.ts'

/**
 * What a route must declare about who may call it. There is no default: a route without an
 * access rule is refused when it is registered (see plugins/access.ts).
 * - `child: true` routes carry a `:childId` parameter; the user must be able to see that child
 *   (Virtual School staff of its authority, or on its access list) in a role allowed the action.
 */
export type RouteAccess =
  | { public: true }
  /**
   * An API route (`/api/...`, issue 22): no session, no CSRF; the API's own plugin proves the
   * client's bearer secret, checks the scope, answers problem details and audits as the client.
   */
  | { api: ApiScope }
  | { signedIn: true }
  | { action: Action; child?: false }
  | {
      action: Action
      child: true
      /** The part of the record the route shows: refused (404) to roles that may not read it (ADR 10). */
      reads?: RecordPart
    }

/**
 * What the audit trail records when the route runs. Required too: a route without one is
 * refused at registration. `'none'` is for pages that show nobody's data (sign-in, health,
 * assets); it is refused on child routes and on changes by signed-in users.
 */
export type RouteAudit = AuditAction | 'none' | typeof RECORDED_IN_TRANSACTION

/**
 * For changes (never GET): the handler's service writes the audit event inside the change's own
 * transaction, with what actually changed, so a change and its audit event commit together or
 * not at all. The access plugin still records refusals.
 */
export const RECORDED_IN_TRANSACTION = 'recorded-in-transaction'

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess
    audit?: RouteAudit
    /**
     * What the route's audit event records besides who, where and when: for a report, the
     * filters it was asked for (read from the request as sent, before they are checked).
     */
    auditDetails?: (request: FastifyRequest) => Record<string, unknown>
  }
}
