import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { isUuid } from '../../domain/ids.ts'
import { findPepOfChild, type PepRow } from '../peps/peps.service.ts'
import { fundedBefore, findRequest, type RequestRow } from './funding.repository.ts'

/*
 * What a child's Pupil Premium Plus pages load from their URL before anything else (issue 18,
 * ADR 7): the PEP, or the funding request, of the child the access plugin has already checked
 * (its pre-handler runs first); a URL naming neither, or another child's, answers 404.
 */

declare module 'fastify' {
  interface FastifyRequest {
    /** On a child's funding pages under a PEP (`:pepId`): the PEP, once proven the child's. */
    fundingPep: PepRow | null
    /** On a funding request's pages (`:requestId`): the request, once proven the child's. */
    fundingRequest: RequestRow | null
  }
}

/** Lets the funding routes carry the PEP and request they load (once, where they are registered). */
export function decorateFundingRequest(app: FastifyInstance): void {
  app.decorateRequest('fundingPep', null)
  app.decorateRequest('fundingRequest', null)
}

/** The pre-handler of a page under the child's PEP (`:pepId`): that PEP, else 404. */
export const loadPep = (db: Database) => async (request: FastifyRequest, reply: FastifyReply) => {
  const { pepId } = request.params as { pepId: string }
  const pep = isUuid(pepId) ? await findPepOfChild(db, request.child!.id, pepId) : undefined
  if (!pep) return reply.notFound()
  request.fundingPep = pep
}

/** The pre-handler of a funding request's page (`:requestId`): the child's request, else 404. */
export const loadRequest =
  (db: Database) => async (request: FastifyRequest, reply: FastifyReply) => {
    const { requestId } = request.params as { requestId: string }
    const found = isUuid(requestId)
      ? await findRequest(db, request.child!.id, requestId)
      : undefined
    if (!found) return reply.notFound()
    request.fundingRequest = found
  }

/**
 * The pre-handler of a funded request's impact (after loadPep): the request (`:requestId`)
 * funded before the PEP, while the PEP is open; else 404.
 */
export const loadFundedRequest =
  (db: Database) => async (request: FastifyRequest, reply: FastifyReply) => {
    const pep = fundingPepOf(request)
    const funded = await fundedBefore(db, request.child!.id, pep.id)
    const found = funded.find((r) => r.id === (request.params as { requestId: string }).requestId)
    if (!found || pep.status === 'signed_off') return reply.notFound()
    request.fundingRequest = found
  }

/** The PEP loadPep loaded. */
export const fundingPepOf = (request: FastifyRequest): PepRow => request.fundingPep!

/** The request loadRequest or loadFundedRequest loaded. */
export const fundingRequestOf = (request: FastifyRequest): RequestRow => request.fundingRequest!
