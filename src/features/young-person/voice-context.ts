import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { pepOf } from '../peps/pep-context.ts'
import { pagesOf } from '../peps/peps.service.ts'
import { voicePlan } from './voice.presenter.ts'
import { findViewsSent } from './voice.repository.ts'
import { voiceOpen } from './voice.service.ts'

/*
 * What "Tell us what you think" (issue 20) loads before its handlers (ADR 7): the module of the
 * PEP the URL names (proven the child's by pep-context.ts, after the access plugin's child
 * check), its saved answers and whether they can still change; 404 when the PEP has none, or
 * when the step the URL names is not one of the module's.
 */

export interface VoiceInContext {
  pep: ReturnType<typeof pepOf>
  plan: NonNullable<ReturnType<typeof voicePlan>>
  pages: Awaited<ReturnType<typeof pagesOf>>
  sent: Awaited<ReturnType<typeof findViewsSent>>
  /** Whether the views can still change. */
  open: boolean
}

declare module 'fastify' {
  interface FastifyRequest {
    /** On the young person's views pages: the PEP's module and its state. */
    voice: VoiceInContext | null
  }
}

/** Lets the views routes carry the module they load (once, where they are registered). */
export function decorateVoice(app: FastifyInstance): void {
  app.decorateRequest('voice', null)
}

/** The pre-handler of the views pages: the PEP's module, its answers and state; 404 if none. */
export const loadVoice = (db: Database) => async (request: FastifyRequest, reply: FastifyReply) => {
  const pep = pepOf(request)
  const plan = voicePlan(pep)
  if (!plan) return reply.notFound()
  const [pages, sent, open] = await Promise.all([
    pagesOf(db, pep.id),
    findViewsSent(db, pep.id),
    voiceOpen(db, pep),
  ])
  request.voice = { pep, plan, pages, sent, open: open.ok }
}

/** The pre-handler of a step's page (after loadVoice): a step the module does not have is 404. */
export const loadVoiceStep = async (request: FastifyRequest, reply: FastifyReply) => {
  const { stepId } = request.params as { stepId: string }
  if (!voiceOf(request).plan.order.includes(stepId)) return reply.notFound()
}

/** The module the pre-handler loaded. */
export const voiceOf = (request: FastifyRequest): VoiceInContext => request.voice!
