import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { isUuid } from '../../domain/ids.ts'
import { findPepOfChild, type PepRow } from '../peps/peps.service.ts'
import { findRequest, type RequestRow } from './funding.repository.ts'

/*
 * What a child's Pupil Premium Plus pages load from their URL before anything else (issue 18):
 * the PEP, or the funding request, of the child the access plugin has already checked; a URL
 * naming neither, or another child's, answers 404.
 */

/** The child's PEP the URL names, or undefined with a 404 sent. */
export async function loadPep(
  db: Database,
  request: FastifyRequest<{ Params: { childId: string; pepId: string } }>,
  reply: FastifyReply,
): Promise<PepRow | undefined> {
  const { pepId } = request.params
  const pep = isUuid(pepId) ? await findPepOfChild(db, request.child!.id, pepId) : undefined
  if (!pep) void reply.notFound()
  return pep
}

/** The child's funding request the URL names, or undefined with a 404 sent. */
export async function loadRequest(
  db: Database,
  request: FastifyRequest<{ Params: { childId: string; requestId: string } }>,
  reply: FastifyReply,
): Promise<RequestRow | undefined> {
  const found = isUuid(request.params.requestId)
    ? await findRequest(db, request.child!.id, request.params.requestId)
    : undefined
  if (!found) void reply.notFound()
  return found
}
