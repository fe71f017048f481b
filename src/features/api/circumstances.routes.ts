import { z } from 'zod'
import type { Database } from '../../db/connection.ts'
import {
  CIRCUMSTANCE_KINDS,
  checkCircumstance,
  type CircumstanceField,
  type CircumstanceKind,
} from '../../domain/education-circumstance.ts'
import { CIRCUMSTANCE_REFUSALS, circumstanceMessage } from '../../forms/circumstance-messages.ts'
import { isUuid } from '../../domain/ids.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { addCircumstance, endCircumstance } from '../children/circumstances.service.ts'
import { findChildByCaseReference, type ApiChildRow } from './api.repository.ts'
import { NOT_FOUND, readOnly } from './children.routes.ts'
import { CaseReferenceParams, ChildSchema, toApiChild } from './children.schemas.ts'
import type { ApiOperations } from '../../shared/api/operation.ts'
import {
  httpProblem,
  ruleProblem,
  sendProblem,
  validationProblem,
  type FieldProblem,
} from '../../shared/api/problem.ts'

/*
 * A child's education circumstances (issue 17): alternative provision, a part-time timetable and
 * NEET, each a period. Added and ended through the same rule (`checkCircumstance`, `checkEndsOn`)
 * and service as the record's "Provision and timetable" tab, refused with the same codes: each
 * field's problem as a JSON Pointer with the rule's code, an overlap as 409. The child's
 * periods are read with the child (`educationCircumstances`).
 */

/** The fields each kind takes, besides its dates: any other is refused, never dropped. */
const FIELDS_OF: Record<CircumstanceKind, readonly CircumstanceField[]> = {
  alternative_provision: ['provider'],
  part_time: ['hoursPerWeek', 'reason'],
  neet: [],
}

const CircumstanceInput = z
  .object({
    kind: z.enum(CIRCUMSTANCE_KINDS),
    startsOn: z.iso.date(),
    endsOn: z.iso.date().nullable().optional(),
    provider: z
      .string()
      .max(2_000)
      .optional()
      .describe('The provider, for alternative provision (at most 200 characters)'),
    hoursPerWeek: z
      .number()
      .optional()
      .describe('For a part-time timetable: more than 0 and fewer than 32.5, in tenths at most'),
    reason: z
      .string()
      .max(5_000)
      .optional()
      .describe('Why the timetable is part-time (at most 500 characters)'),
  })
  .strict()

const EndParams = CaseReferenceParams.extend({
  circumstanceId: z.string().min(1).max(100),
})

const Written = z.object({ child: ChildSchema })

const fieldProblem = (field: string, code: string, detail: string): FieldProblem => ({
  pointer: `/${field}`,
  in: 'body',
  code,
  detail,
})

export function circumstancesApiRoutes(operations: ApiOperations, { db }: { db: Database }) {
  const common = {
    method: 'POST' as const,
    tag: 'Education circumstances',
    scope: 'children:write' as const,
    audit: RECORDED_IN_TRANSACTION as typeof RECORDED_IN_TRANSACTION,
  }
  const responses = {
    201: { description: 'Recorded: the child as they are now', schema: Written },
    409: {
      description:
        'The child has left care (child.read-only), the period overlaps another of its kind (circumstance.overlaps) or was already ended (circumstance.already-ended)',
    },
  }

  async function childInCare(
    reply: Parameters<typeof sendProblem>[0],
    authorityId: string,
    caseReference: string,
  ): Promise<ApiChildRow | undefined> {
    const row = await findChildByCaseReference(db, authorityId, caseReference)
    if (!row) sendProblem(reply, httpProblem(404, NOT_FOUND))
    else if (row.status === 'ceased') sendProblem(reply, readOnly())
    else return row
    return undefined
  }

  async function written(reply: Parameters<typeof sendProblem>[0], child: ApiChildRow) {
    const row = await findChildByCaseReference(db, child.authorityId, child.caseReference)
    return reply.code(201).send({ child: toApiChild(row!) })
  }

  const refused = (reply: Parameters<typeof sendProblem>[0], code: string) =>
    code === 'circumstance.not-found'
      ? sendProblem(reply, httpProblem(404, CIRCUMSTANCE_REFUSALS['circumstance.not-found']))
      : code === 'circumstance.overlaps' || code === 'circumstance.already-ended'
        ? sendProblem(reply, ruleProblem(409, code, CIRCUMSTANCE_REFUSALS[code]))
        : sendProblem(
            reply,
            validationProblem([
              fieldProblem(
                'endsOn',
                code,
                circumstanceMessage({ field: 'endsOn', code: code as never }),
              ),
            ]),
          )

  operations.register(
    {
      ...common,
      path: '/children/:caseReference/education-circumstances',
      operationId: 'recordEducationCircumstance',
      summary: 'Record alternative provision, a part-time timetable or NEET',
      description:
        'The same rule as the record\'s "Provision and timetable" tab: alternative provision and a part-time timetable may start up to 90 days ahead; a part-time timetable is fewer than 32.5 hours a week, with a reason; NEET is for year 12 or later (16 or over on the 31 August before its first day) and starts and ends today or earlier. A part-time timetable or NEET may not overlap another of its kind (409).',
      params: CaseReferenceParams,
      body: CircumstanceInput,
      responses,
    },
    async ({ params, body, client, actor, reply }) => {
      const child = await childInCare(reply, client.authorityId, params.caseReference)
      if (!child) return reply
      const problems: FieldProblem[] = []
      for (const field of ['provider', 'hoursPerWeek', 'reason'] as const)
        if (body[field] !== undefined && !FIELDS_OF[body.kind].includes(field))
          problems.push(
            fieldProblem(
              field,
              'circumstance.not-for-kind',
              `This field is not part of ${body.kind.replace(/_/g, ' ')}`,
            ),
          )
      const checked = checkCircumstance(
        body.kind,
        {
          startsOn: body.startsOn,
          endsOn: body.endsOn ?? '',
          provider: body.provider ?? '',
          hoursPerWeek: body.hoursPerWeek === undefined ? '' : String(body.hoursPerWeek),
          reason: body.reason ?? '',
        },
        { today: actor.today, dateOfBirth: child.dateOfBirth },
      )
      if (!checked.ok)
        for (const p of checked.problems)
          problems.push(fieldProblem(p.field, p.code, circumstanceMessage(p)))
      if (problems.length > 0 || !checked.ok) return sendProblem(reply, validationProblem(problems))
      const added = await addCircumstance(db, actor, {
        childId: child.id,
        circumstance: checked.value,
      })
      if (!added.ok) return refused(reply, added.error.code)
      return written(reply, child)
    },
  )

  operations.register(
    {
      ...common,
      path: '/children/:caseReference/education-circumstances/:circumstanceId/end',
      operationId: 'endEducationCircumstance',
      summary: 'Record the last day of an open period',
      description:
        'Once: a period already ended is 409. The last day is on or after the first; for NEET, today or earlier.',
      params: EndParams,
      body: z.object({ endsOn: z.iso.date() }).strict(),
      responses,
    },
    async ({ params, body, client, actor, reply }) => {
      const child = await childInCare(reply, client.authorityId, params.caseReference)
      if (!child) return reply
      if (!isUuid(params.circumstanceId)) return refused(reply, 'circumstance.not-found')
      const ended = await endCircumstance(db, actor, {
        childId: child.id,
        circumstanceId: params.circumstanceId,
        endsOn: body.endsOn,
      })
      if (!ended.ok) return refused(reply, ended.error.code)
      return written(reply, child)
    },
  )
}
