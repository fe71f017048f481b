import { z } from 'zod'
import type { Database } from '../../db/connection.ts'
import { daysBetween, type CalendarDate } from '../../domain/calendar-date.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { listSocialWorkers } from '../child-admin/child-admin.service.ts'
import {
  ceaseCare,
  changeOwner,
  changePlacement,
  changeSchool,
  currentSchoolPlacement,
  findOpenSchoolByUrn,
  listPossibleOwners,
} from '../children/events.service.ts'
import { TEXT_MAX } from '../children/history.form.ts'
import { findChildByCaseReference, type ApiChildRow } from './api.repository.ts'
import { NOT_FOUND, readOnly } from './children.routes.ts'
import { CaseReferenceParams, ChildSchema, toApiChild } from './children.schemas.ts'
import type { ApiOperations, OperationInput } from './operation.ts'
import { httpProblem, sendProblem, validationProblem, type FieldProblem } from './problem.ts'

/*
 * A child's changes of circumstance, through the same services as the history pages (access
 * ends and is granted as there) and the same rules: a date not to come and not before what it
 * follows, an open school of the authority that is not the current one, a social worker of the
 * authority, a record that has not become read-only.
 */

const reason = z.string().max(TEXT_MAX)
const Written = z.object({ child: ChildSchema })

const problem = (pointer: string, code: string, detail: string): FieldProblem => ({
  pointer,
  in: 'body',
  code,
  detail,
})

function pastDate(
  today: CalendarDate,
  value: CalendarDate,
  pointer: string,
  earliest?: { date: string; words: string },
): FieldProblem[] {
  if (daysBetween(today, value) > 0)
    return [problem(pointer, 'date.future', 'The date must be today or in the past')]
  if (earliest && daysBetween(earliest.date, value) < 0)
    return [problem(pointer, 'date.too-early', `The date must be on or after ${earliest.words}`)]
  return []
}

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
  const written = async (
    input: {
      client: { authorityId: string }
      reply: OperationInput<undefined, undefined, undefined>['reply']
    },
    caseReference: string,
  ) => {
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
      const { schoolUrn, movedOn } = input.body
      const school = await findOpenSchoolByUrn(db, input.client.authorityId, schoolUrn)
      const current = await currentSchoolPlacement(db, child.id)
      const problems: FieldProblem[] = []
      if (!school)
        problems.push(
          problem('/schoolUrn', 'school.not-found', 'There is no open school with that URN'),
        )
      else if (current?.school_id === school.id)
        problems.push(
          problem('/schoolUrn', 'school.current', 'That is the school the child is at now'),
        )
      problems.push(
        ...pastDate(
          input.actor.today,
          movedOn,
          '/movedOn',
          current
            ? { date: current.started_on, words: 'they started at their current school' }
            : undefined,
        ),
      )
      if (problems.length > 0 || !school)
        return sendProblem(input.reply, validationProblem(problems))
      await changeSchool(db, input.actor, {
        childId: child.id,
        school,
        movedOn,
        reason: input.body.reason?.trim() ?? '',
      })
      return written(input, child.caseReference)
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
      const problems = pastDate(input.actor.today, input.body.changedOn, '/changedOn', {
        date: child.enteredCareOn,
        words: 'they entered care',
      })
      if (!input.body.placement.trim())
        problems.unshift(problem('/placement', 'required', 'Enter the new placement'))
      if (problems.length > 0) return sendProblem(input.reply, validationProblem(problems))
      await changePlacement(db, input.actor, {
        childId: child.id,
        placement: input.body.placement.trim(),
        changedOn: input.body.changedOn,
      })
      return written(input, child.caseReference)
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
      const email = input.body.socialWorkerEmail.trim().toLowerCase()
      const [workers, owners] = await Promise.all([
        listSocialWorkers(db, input.client.authorityId),
        listPossibleOwners(db, input.client.authorityId),
      ])
      const worker = workers.find((w) => w.email.toLowerCase() === email)
      const owner = owners.find((o) => o.id === worker?.id && o.role === 'social_worker')
      if (!owner)
        return sendProblem(
          input.reply,
          validationProblem([
            problem(
              '/socialWorkerEmail',
              'owner.not-found',
              'There is no active social worker of the authority with that email',
            ),
          ]),
        )
      await changeOwner(db, input.actor, { childId: child.id, owner })
      return written(input, child.caseReference)
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
      const problems = pastDate(input.actor.today, input.body.ceasedOn, '/ceasedOn', {
        date: child.enteredCareOn,
        words: 'they entered care',
      })
      if (!input.body.reason.trim())
        problems.push(problem('/reason', 'required', 'Enter why they ceased to be in care'))
      if (problems.length > 0) return sendProblem(input.reply, validationProblem(problems))
      await ceaseCare(db, input.actor, {
        childId: child.id,
        ceasedOn: input.body.ceasedOn,
        reason: input.body.reason.trim(),
      })
      return written(input, child.caseReference)
    },
  )
}
