import { sql } from 'kysely'
import { z } from 'zod'
import type { Database } from '../../db/connection.ts'
import { audit } from '../../shared/actor.ts'
import type { ApiOperations } from '../../shared/api/operation.ts'
import { httpProblem, ruleProblem, sendProblem } from '../../shared/api/problem.ts'

/*
 * The authority's PEPs and their states, changed since a time, in a fixed order (when changed,
 * then id) and paged by a cursor that holds the last row's exact instant (microseconds) and id.
 */

const Pep = z.object({
  id: z.uuid(),
  caseReference: z.string(),
  academicYear: z.int(),
  term: z.string(),
  formType: z.string(),
  status: z.enum(['in_progress', 'awaiting_bso_check', 'awaiting_qa', 'signed_off']),
  startedOn: z.iso.date(),
  meetingOn: z.iso.date().nullable(),
  targetOn: z.iso.date().nullable(),
  signedOffAt: z.iso.datetime().nullable(),
  updatedAt: z.iso.datetime(),
})

const Page = z.object({
  peps: z.array(Pep),
  nextCursor: z.string().nullable().describe('Send as `cursor` for the next page; null at the end'),
})

const Query = z
  .object({
    changedSince: z.iso
      .datetime()
      .optional()
      .describe('Only PEPs changed at or after this instant'),
    caseReference: z.string().min(1).max(50).optional().describe('Only this child’s PEPs'),
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
  })
  .strict()

const encode = (micros: number, id: string) => Buffer.from(`${micros}.${id}`).toString('base64url')
function decode(cursor: string) {
  const match = /^(\d{1,17})\.([0-9a-f-]{36})$/.exec(Buffer.from(cursor, 'base64url').toString())
  return match ? { micros: Number(match[1]), id: match[2]! } : undefined
}

export function pepsApiRoutes(operations: ApiOperations, { db }: { db: Database }) {
  operations.register(
    {
      method: 'GET',
      path: '/peps',
      operationId: 'listPeps',
      summary: "The authority's PEPs and their states, changed since a time (paged)",
      tag: 'PEPs',
      scope: 'peps:read',
      audit: 'api.peps.list',
      query: Query,
      responses: {
        200: { description: 'A page of PEPs, oldest change first', schema: Page },
        404: { description: 'No child with that case reference in this authority' },
      },
    },
    async ({ query, client, actor, reply }) => {
      const after = query.cursor ? decode(query.cursor) : undefined
      if (query.cursor && !after)
        return sendProblem(
          reply,
          ruleProblem(400, 'api.cursor', 'The cursor is not one this API gave', [
            { pointer: '/cursor', in: 'query', code: 'api.cursor', detail: 'Not a cursor' },
          ]),
        )
      if (query.caseReference) {
        const child = await db
          .selectFrom('child')
          .select('id')
          .where('authority_id', '=', client.authorityId)
          .where('case_reference', '=', query.caseReference)
          .executeTakeFirst()
        if (!child)
          return sendProblem(reply, httpProblem(404, 'There is no child with that case reference'))
      }
      const limit = query.limit ?? 100
      const micros = sql<number>`(extract(epoch from p.updated_at) * 1000000)::bigint`
      let q = db
        .selectFrom('pep as p')
        .innerJoin('child as c', 'c.id', 'p.child_id')
        .select([
          'p.id',
          'c.case_reference',
          'p.academic_year',
          'p.term',
          'p.form_type',
          'p.status',
          'p.started_on',
          'p.meeting_on',
          'p.target_on',
          'p.signed_off_at',
          'p.updated_at',
          micros.as('micros'),
        ])
        .where('p.authority_id', '=', client.authorityId)
      if (query.caseReference) q = q.where('c.case_reference', '=', query.caseReference)
      if (query.changedSince) q = q.where('p.updated_at', '>=', new Date(query.changedSince))
      if (after)
        q = q.where(sql<boolean>`(${micros}, p.id) > (${after.micros}::bigint, ${after.id}::uuid)`)
      const rows = await q
        .orderBy('p.updated_at')
        .orderBy('p.id')
        .limit(limit + 1)
        .execute()
      const page = rows.slice(0, limit)
      await audit(db, actor, {
        action: 'api.peps.list',
        details: { count: page.length, ...(query.caseReference ? { caseReference: true } : {}) },
      })
      const last = page.at(-1)
      return reply.send({
        peps: page.map((r) => ({
          id: r.id,
          caseReference: r.case_reference,
          academicYear: r.academic_year,
          term: r.term,
          formType: r.form_type,
          status: r.status,
          startedOn: r.started_on,
          meetingOn: r.meeting_on,
          targetOn: r.target_on,
          signedOffAt: r.signed_off_at?.toISOString() ?? null,
          updatedAt: r.updated_at.toISOString(),
        })),
        nextCursor: rows.length > limit && last ? encode(Number(last.micros), last.id) : null,
      })
    },
  )
}
