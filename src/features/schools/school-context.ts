import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { isUniqueViolation } from '../../shared/uniqueness.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { isUuid } from '../../domain/ids.ts'
import { authoritiesFor } from '../../shared/authority-scope.ts'
import { findSchool, type SchoolRow } from './schools.repository.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** On a school's pages (`:schoolId`): the school, once proven to be in the user's authorities. */
    school: SchoolRow | null
  }
}

/** The authorities whose schools the user manages. */
export const schoolScope = (request: FastifyRequest) =>
  authoritiesFor(request.user!, 'schools.manage')

export const notFound = (reply: FastifyReply) => reply.notFound()

/** Lets the school routes carry the school their URL names (once, where they are registered). */
export function decorateSchool(app: FastifyInstance): void {
  app.decorateRequest('school', null)
}

/**
 * The pre-handler of every page about one school: the school the URL names, if it is in one of
 * the user's authorities; 404 otherwise (a made-up id and another authority's school look alike).
 */
export const loadSchool =
  (db: Database) => async (request: FastifyRequest, reply: FastifyReply) => {
    const { schoolId } = request.params as { schoolId: string }
    const school = isUuid(schoolId)
      ? await findSchool(db, schoolScope(request), schoolId)
      : undefined
    if (!school) return notFound(reply)
    request.school = school
  }

/** The school the pre-handler loaded. */
export const schoolOf = (request: FastifyRequest): SchoolRow => request.school!

/** The access and audit rule of a schools page (its audit action) or change (in its transaction). */
export const schoolPage = (audit: 'schools.view' | 'school.view' | 'school.form.view') =>
  ({ access: { action: 'schools.manage' }, audit }) as const
export const SCHOOL_CHANGE = {
  access: { action: 'schools.manage' },
  audit: RECORDED_IN_TRANSACTION,
} as const

/** A unique index broken meanwhile (a URN taken by someone else): answered, not thrown. */
export const unlessUniqueViolation =
  <T>(answer: T) =>
  (error: unknown): T => {
    if (isUniqueViolation(error)) return answer
    throw error
  }
