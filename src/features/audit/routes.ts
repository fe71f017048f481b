import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { paths } from '../../paths.ts'
import { pageNumber } from '../../views/pagination.ts'
import { parseAuditLogQuery, type AuditLogQuery } from './audit-log.schemas.ts'
import {
  AUDIT_PAGE_SIZE,
  accessLogTitle,
  presentChildLogRows,
  presentFilters,
  presentLogPagination,
} from './audit-log.presenter.ts'
import { listAuditEvents } from '../../shared/audit-log.ts'

/** A child's access log: every audit event about the child, for the Virtual School administrator. */
export const auditRoutes: FastifyPluginAsync<{ db: Database }> = async (app, { db }) => {
  app.get<{ Params: { childId: string }; Querystring: AuditLogQuery }>(
    paths.children.accessLog(':childId'),
    { config: { access: { action: 'child.audit.read', child: true }, audit: 'child.audit.view' } },
    async (request, reply) => {
      const child = request.child!
      const childName = `${child.firstName} ${child.lastName}`
      const parsed = parseAuditLogQuery(request.query)
      const model = {
        pageTitle: accessLogTitle(childName),
        childName,
        childId: child.id,
        filters: presentFilters(parsed.values, parsed.ok ? undefined : parsed.errors),
      }
      if (!parsed.ok)
        return reply
          .code(400)
          .render('audit/views/child-access-log.njk', { ...model, errors: parsed.errors })
      const page = pageNumber(request.query.page)
      const result = await listAuditEvents(db, { childId: child.id }, parsed.filter, {
        offset: (page - 1) * AUDIT_PAGE_SIZE,
        limit: AUDIT_PAGE_SIZE,
      })
      return reply.render('audit/views/child-access-log.njk', {
        ...model,
        rows: presentChildLogRows(result.rows),
        pagination: presentLogPagination(
          page,
          result.total,
          paths.children.accessLog(child.id),
          parsed.values,
        ),
      })
    },
  )
}
