import { z } from 'zod'
import type { Database } from '../../db/connection.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import {
  ceaseCare,
  changeOwner,
  changePlacement,
  changeSchool,
  type EventField,
  type EventProblem,
  type EventResult,
} from '../children/events.service.ts'
import { TEXT_MAX } from '../children/history.form.ts'
import { findChildByCaseReference, type ApiChildRow } from './api.repository.ts'
import { NOT_FOUND, readOnly } from './children.routes.ts'
import { CaseReferenceParams, ChildSchema, toApiChild } from './children.schemas.ts'
import type { ApiOperations, OperationInput } from '../../shared/api/operation.ts'
import {
  httpProblem,
  sendProblem,
  validationProblem,
  type FieldProblem,
} from '../../shared/api/problem.ts'

/*
 * A child's changes of circumstance, through the same services as the history pages (access
 * ends and is granted as there), which check the same rules and answer with the same codes: a
 * date not to come and not before what it follows, an open school of the authority that is not
 * the current one, a social worker of the authority. Here the codes become problem details
 * naming the field; a record that has become read-only is refused before (409).
 */

const reason = z.string().max(TEXT_MAX)
const Written = z.object({ child: ChildSchema })

/** The API's name for each field of the service's problems, as a JSON Pointer. */
const POINTER: Record<EventField, string> = {
  school: '/schoolUrn',
  movedOn: '/movedOn',
  placement: '/placement',
  changedOn: '/changedOn',
  owner: '/socialWorkerEmail',
  ceasedOn: '/ceasedOn',
  reason: '/reason',
}

const REQUIRED: Partial<Record<EventField, string>> = {
  placement: 'Enter the new placement',
  reason: 'Enter why they ceased to be in care',
}

/** The problem's `detail`: what a developer reading the response is told. */
function detailOf({ field, code, params = {} }: EventProblem): string {
  switch (code) {
    case 'required':
      return REQUIRED[field] ?? 'Enter this field'
    case 'school.not-found':
      return 'There is no open school with that URN'
    case 'school.current':
      return 'That is the school the child is at now'
    case 'date.future':
      return 'The date must be today or in the past'
    case 'date.too-early':
      return `The date must be on or after ${
        params['after'] === 'current-school'
          ? 'they started at their current school'
          : 'they entered care'
      }`
    case 'owner.not-found':
      return 'There is no active social worker of the authority with that email'
  }
}

const eventFieldProblems = (problems: readonly EventProblem[]): FieldProblem[] =>
  problems.map((p) => ({
    pointer: POINTER[p.field],
    in: 'body',
    code: p.code,
    detail: detailOf(p),
  }))

export function eventsApiRoutes(operations: ApiOperations, { db }: { db: Database }) {
  /** The child the path names, in the client's authority and still in care, or the answer. */
  async function childInCare(
    input: OperationInput<typeof CaseReferenceParams, undefined, z.ZodType>,
  ): Promise<ApiChildRow | undefined> {
    const row = await findChildByCaseReference(
      db,
      input.client.authorityId,
      input.params.caseReference,
    )
    if (!row) sendProblem(input.reply, httpProblem(404, NOT_FOUND))
    else if (row.status === 'ceased') sendProblem(input.reply, readOnly())
    else return row
    return undefined
  }
  /** The child as they are now (201), or every problem the service found (400). */
  const written = async (
    input: {
      client: { authorityId: string }
      reply: OperationInput<undefined, undefined, undefined>['reply']
    },
    caseReference: string,
    result: EventResult<unknown>,
  ) => {
    if (!result.ok)
      return sendProblem(input.reply, validationProblem(eventFieldProblems(result.problems)))
    const row = await findChildByCaseReference(db, input.client.authorityId, caseReference)
    return input.reply.code(201).send({ child: toApiChild(row!) })
  }
  const common = {
    method: 'POST' as const,
    tag: 'Changes of circumstance',
    scope: 'children:write' as const,
    audit: RECORDED_IN_TRANSACTION as typeof RECORDED_IN_TRANSACTION,
    params: CaseReferenceParams,
  }
  const responses = {
    201: { description: 'Recorded: the child as they are now', schema: Written },
    409: { description: 'The child has left care: the record is read-only' },
  }

  operations.register(
    {
      ...common,
      path: '/children/:caseReference/school-changes',
      operationId: 'recordSchoolChange',
      summary: 'Record a change of school',
      description:
        "The old school's designated teachers and people lose access; the new school's gain it.",
      body: z
        .object({
          schoolUrn: z.string().regex(/^\d{6}$/),
          movedOn: z.iso.date(),
          reason: reason.optional(),
        })
        .strict(),
      responses,
    },
    async (input) => {
      const child = await childInCare(input)
      if (!child) return input.reply
      const result = await changeSchool(db, input.actor, {
        childId: child.id,
        urn: input.body.schoolUrn,
        movedOn: input.body.movedOn,
        reason: input.body.reason ?? '',
      })
      return written(input, child.caseReference, result)
    },
  )

  operations.register(
    {
      ...common,
      path: '/children/:caseReference/placement-changes',
      operationId: 'recordPlacementChange',
      summary: 'Record a change of placement',
      description: "The carer's access ends.",
      body: z
        .object({ placement: z.string().min(1).max(TEXT_MAX), changedOn: z.iso.date() })
        .strict(),
      responses,
    },
    async (input) => {
      const child = await childInCare(input)
      if (!child) return input.reply
      const result = await changePlacement(db, input.actor, {
        childId: child.id,
        placement: input.body.placement,
        changedOn: input.body.changedOn,
      })
      return written(input, child.caseReference, result)
    },
  )

  operations.register(
    {
      ...common,
      path: '/children/:caseReference/social-worker-changes',
      operationId: 'recordSocialWorkerChange',
      summary: "Record a change of social worker (the record's owner)",
      description:
        "The previous social worker's access ends; the new one is added to the access list.",
      body: z.object({ socialWorkerEmail: z.string().min(1).max(320) }).strict(),
      responses,
    },
    async (input) => {
      const child = await childInCare(input)
      if (!child) return input.reply
      const result = await changeOwner(db, input.actor, {
        childId: child.id,
        owner: { email: input.body.socialWorkerEmail, role: 'social_worker' },
      })
      return written(input, child.caseReference, result)
    },
  )

  operations.register(
    {
      ...common,
      path: '/children/:caseReference/leaving-care',
      operationId: 'recordLeavingCare',
      summary: 'Record that the child has ceased to be in care',
      description: "The record becomes read-only; the carer's access ends.",
      body: z.object({ ceasedOn: z.iso.date(), reason: z.string().min(1).max(TEXT_MAX) }).strict(),
      responses,
    },
    async (input) => {
      const child = await childInCare(input)
      if (!child) return input.reply
      const result = await ceaseCare(db, input.actor, {
        childId: child.id,
        ceasedOn: input.body.ceasedOn,
        reason: input.body.reason,
      })
      return written(input, child.caseReference, result)
    },
  )
}
