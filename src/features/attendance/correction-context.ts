import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { isUuid } from '../../domain/ids.ts'
import { findAttendance, type AttendanceRow } from './attendance.repository.ts'
import { findExclusion } from './exclusions.repository.ts'

/*
 * What the pages correcting a recorded entry load from their URL (issue 19), after the access
 * plugin has proved the child: the attendance period (`:periodId`) or the exclusion
 * (`:exclusionId`), which must be that child's; a URL naming none, or another child's, is 404.
 */

export type ExclusionInContext = NonNullable<Awaited<ReturnType<typeof findExclusion>>>

declare module 'fastify' {
  interface FastifyRequest {
    /** On an attendance period's correction (`:periodId`): the period, the child's. */
    attendancePeriod: AttendanceRow | null
    /** On an exclusion's correction (`:exclusionId`): the exclusion, the child's. */
    exclusion: ExclusionInContext | null
  }
}

/** Lets the correction routes carry the entry their URL names (once, where they are registered). */
export function decorateCorrections(app: FastifyInstance): void {
  app.decorateRequest('attendancePeriod', null)
  app.decorateRequest('exclusion', null)
}

/**
 * The pre-handler of an attendance period's correction: the child's period the URL names. The
 * page shows only a current one (a corrected one is 404); its post takes one corrected
 * meanwhile too, which the service refuses with what was typed kept.
 */
export const loadAttendancePeriod =
  (db: Database, which: 'current' | 'any') =>
  async (request: FastifyRequest, reply: FastifyReply) => {
    const { periodId } = request.params as { periodId: string }
    const row = isUuid(periodId) ? await findAttendance(db, request.child!.id, periodId) : undefined
    if (!row || (which === 'current' && row.supersededAt !== null)) return reply.notFound()
    request.attendancePeriod = row
  }

/** The pre-handler of an exclusion's correction: the child's exclusion the URL names. */
export const loadExclusion =
  (db: Database) => async (request: FastifyRequest, reply: FastifyReply) => {
    const { exclusionId } = request.params as { exclusionId: string }
    const found = isUuid(exclusionId)
      ? await findExclusion(db, request.child!.id, exclusionId)
      : undefined
    if (!found) return reply.notFound()
    request.exclusion = found
  }

/** The period the pre-handler loaded. */
export const attendancePeriodOf = (request: FastifyRequest): AttendanceRow =>
  request.attendancePeriod!

/** The exclusion the pre-handler loaded. */
export const exclusionOf = (request: FastifyRequest): ExclusionInContext => request.exclusion!
