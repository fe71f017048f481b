import type { Database } from '../../db/connection.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { audit } from '../../shared/actor.ts'
import { isUniqueViolation } from '../../shared/uniqueness.ts'
import { createChild, updateChild } from '../child-admin/child-admin.service.ts'
import { findChildByCaseReference } from './api.repository.ts'
import { changesNeedingEvents, checkChild, childProblems } from './children.form.ts'
import {
  CaseReferenceParams,
  ChildInputSchema,
  ChildSchema,
  ChildWrittenSchema,
  toApiChild,
} from './children.schemas.ts'
import type { ApiOperations } from '../../shared/api/operation.ts'
import {
  httpProblem,
  ruleProblem,
  sendProblem,
  validationProblem,
} from '../../shared/api/problem.ts'

/*
 * A child by the authority's case reference: read it, or create or update it (PUT), through the
 * same rule and services as the add and edit pages. Another authority's case reference is 404,
 * as one that does not exist.
 */

export const NOT_FOUND = 'There is no child with that case reference in this authority'

export function childrenApiRoutes(operations: ApiOperations, { db }: { db: Database }) {
  operations.register(
    {
      method: 'GET',
      path: '/children/:caseReference',
      operationId: 'getChild',
      summary: "A child's core data",
      tag: 'Children',
      scope: 'children:read',
      audit: 'api.child.read',
      params: CaseReferenceParams,
      responses: { 200: { description: "The child's core data", schema: ChildSchema } },
    },
    async ({ params, client, actor, reply }) => {
      const row = await findChildByCaseReference(db, client.authorityId, params.caseReference)
      if (!row) return sendProblem(reply, httpProblem(404, NOT_FOUND))
      await audit(db, actor, { action: 'api.child.read', childId: row.id })
      return reply.send(toApiChild(row))
    },
  )

  operations.register(
    {
      method: 'PUT',
      path: '/children/:caseReference',
      operationId: 'putChild',
      summary: 'Create or update a child by case reference',
      description:
        'Creates the child if the authority has none with this case reference, or updates its core data. School, placement and social worker are set on creation only: afterwards they change through their events. A child who has left care is read-only (409).',
      tag: 'Children',
      scope: 'children:write',
      audit: RECORDED_IN_TRANSACTION,
      params: CaseReferenceParams,
      body: ChildInputSchema,
      responses: {
        200: { description: 'Updated (changed lists what changed)', schema: ChildWrittenSchema },
        201: { description: 'Created', schema: ChildWrittenSchema },
        409: { description: 'The record is read-only, or was changed meanwhile' },
      },
    },
    async ({ params, body, client, actor, reply }) => {
      const { caseReference } = params
      const stored = await findChildByCaseReference(db, client.authorityId, caseReference)
      if (stored) {
        const mustUseEvents = changesNeedingEvents(body, stored)
        if (mustUseEvents.length > 0) return sendProblem(reply, validationProblem(mustUseEvents))
        if (stored.status === 'ceased') return sendProblem(reply, readOnly())
      }
      const checked = await checkChild(db, {
        authorityId: client.authorityId,
        caseReference,
        body,
        today: actor.today,
        ...(stored ? { stored } : {}),
      })
      if (!checked.ok) return sendProblem(reply, validationProblem(childProblems(checked.problems)))
      try {
        if (!stored) {
          await createChild(db, actor, client.authorityId, checked.value)
          const created = await findChildByCaseReference(db, client.authorityId, caseReference)
          return reply.code(201).send({
            created: true,
            changed: Object.keys(body),
            child: toApiChild(created!),
          })
        }
        const outcome = await updateChild(db, actor, stored.id, stored.version, checked.value)
        if (outcome.kind === 'gone') return sendProblem(reply, httpProblem(404, NOT_FOUND))
        if (outcome.kind === 'read-only') return sendProblem(reply, readOnly())
        if (outcome.kind === 'conflict')
          return sendProblem(
            reply,
            ruleProblem(
              409,
              'child.conflict',
              'Someone changed the child meanwhile: send it again',
            ),
          )
        const now = await findChildByCaseReference(db, client.authorityId, caseReference)
        return reply.send({ created: false, changed: outcome.changed, child: toApiChild(now!) })
      } catch (error) {
        // A case reference or UPN taken by another save since the check: as the forms say.
        if (!isUniqueViolation(error)) throw error
        return sendProblem(
          reply,
          ruleProblem(
            409,
            'child.taken',
            'Another child took this case reference or UPN meanwhile',
          ),
        )
      }
    },
  )
}

export const readOnly = () =>
  ruleProblem(409, 'child.read-only', 'The child has left care: their record is read-only')
