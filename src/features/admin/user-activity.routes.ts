import type { FastifyPluginAsync } from 'fastify'
import { isVirtualSchoolRole } from '../../domain/roles.ts'
import { paths } from '../../paths.ts'
import { pageNumber } from '../../views/pagination.ts'
import { parseAuditLogQuery, type AuditLogQuery } from '../audit/audit-log.schemas.ts'
import {
  AUDIT_PAGE_SIZE,
  presentFilters,
  presentLogPagination,
  presentUserActivityRows,
} from '../audit/audit-log.presenter.ts'
import { listAuditEvents } from '../../shared/audit-log.ts'
import { authoritiesFor } from '../../shared/authority-scope.ts'
import type { AdminRouteOptions } from './routes.ts'
import { adminRoute, loadManagedUser, managedUserOf } from './user-context.ts'
import { activityTitle } from './user-changes.presenter.ts'

/** A user's activity log, for an administrator or auditor of their authorities. */
export const userActivityRoutes: FastifyPluginAsync<AdminRouteOptions> = async (app, { db }) => {
  app.get<{ Params: { userId: string }; Querystring: AuditLogQuery }>(
    paths.admin.userActivity(':userId'),
    {
      ...adminRoute('admin.audit.view', 'admin.audit.read'),
      preHandler: loadManagedUser(db, 'admin.audit.read'),
    },
    async (request, reply) => {
      const viewer = request.user!
      const user = managedUserOf(request)
      const parsed = parseAuditLogQuery(request.query)
      const model = {
        pageTitle: activityTitle(user),
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
