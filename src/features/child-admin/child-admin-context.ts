import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { refuseIfReadOnly } from '../../shared/child-header.ts'
import { findChildCore, type ChildCore } from './child-admin.repository.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** On the page changing a child's core data: the child's core data, as stored. */
    childCore: ChildCore | null
  }
}

/** Lets the child-admin routes carry the child's core data (once, where they are registered). */
export function decorateChildCore(app: FastifyInstance): void {
  app.decorateRequest('childCore', null)
}

export const FORM_PAGE = {
  access: { action: 'children.manage' },
  audit: 'child.form.view',
} as const
export const CHANGE = {
  access: { action: 'children.manage' },
  audit: RECORDED_IN_TRANSACTION,
} as const

/** First of a ceased child's changes: their record is read-only. */
export const readOnlyRefused = async (request: FastifyRequest, reply: FastifyReply) => {
  if (refuseIfReadOnly(request, reply)) return reply
}

/** The pre-handler loading the core data of the child the URL names (the access plugin found it). */
export const loadChildCore =
  (db: Database) => async (request: FastifyRequest, reply: FastifyReply) => {
    const child = await findChildCore(db, request.child!.id)
    if (!child) return reply.notFound()
    request.childCore = child
  }

export const childCoreOf = (request: FastifyRequest): ChildCore => request.childCore!
