import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { londonDate } from '../../domain/calendar-date.ts'
import type { Clock } from '../../domain/clock.ts'
import { findChildRecord, type ChildRecordFacts } from './children.repository.ts'

/*
 * What the child's record page loads before its handler (ADR 7): the record of the child the
 * access plugin has already checked, with its last review and its authority's settings; 404 if
 * there is none.
 */

declare module 'fastify' {
  interface FastifyRequest {
    /** On the child's record page (and its re-showing): the record, as of today. */
    childRecord: ChildRecordFacts | null
  }
}

/** Lets the children's routes carry the record (once, where they are registered). */
export function decorateChildRecord(app: FastifyInstance): void {
  app.decorateRequest('childRecord', null)
}

/** The pre-handler of the record page: the child's record as of today, else 404. */
export const loadChildRecord =
  (db: Database, clock: Clock) => async (request: FastifyRequest, reply: FastifyReply) => {
    const record = await findChildRecord(db, request.child!.id, londonDate(clock.now()))
    if (!record) return reply.notFound()
    request.childRecord = record
  }

/** The record the pre-handler loaded. */
export const childRecordOf = (request: FastifyRequest): ChildRecordFacts => request.childRecord!
