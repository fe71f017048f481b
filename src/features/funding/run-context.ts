import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { isUuid } from '../../domain/ids.ts'
import { fundingAuthorityOf } from './authority-context.ts'
import { findRun, type RunRow } from './payments.repository.ts'

/*
 * What a payment run's pages load from their URL (issue 18), after the authority they work in
 * (authority-context.ts): the run `:runId` names, which must be that authority's; a URL naming
 * none, or another authority's, answers 404.
 */

declare module 'fastify' {
  interface FastifyRequest {
    /** On a payment run's pages (`:runId`): the run, once proven to be the authority's. */
    paymentRun: RunRow | null
  }
}

/**
 * What a page does with the run, and so which runs it has: any run is read (a discarded one
 * too, kept read-only); a discarded run is never exported or paid; only an open run is
 * discarded.
 */
export type RunUse = 'read' | 'export-or-pay' | 'discard'

const hasUse: Record<RunUse, (run: RunRow) => boolean> = {
  read: () => true,
  'export-or-pay': (run) => run.status !== 'discarded',
  discard: (run) => run.status === 'open',
}

/** Lets the run routes carry the run their URL names (once, where they are registered). */
export function decoratePaymentRun(app: FastifyInstance): void {
  app.decorateRequest('paymentRun', null)
}

/** The pre-handler of a payment run's pages: the run the URL names, for the use; 404 otherwise. */
export const loadRun =
  (db: Database, use: RunUse) => async (request: FastifyRequest, reply: FastifyReply) => {
    const { runId } = request.params as { runId: string }
    const run = isUuid(runId) ? await findRun(db, fundingAuthorityOf(request).id, runId) : undefined
    if (!run || !hasUse[use](run)) return reply.notFound()
    request.paymentRun = run
  }

/** The run the pre-handler loaded. */
export const runOf = (request: FastifyRequest): RunRow => request.paymentRun!
