import type { Database } from '../../db/connection.ts'
import { childProblemText } from '../../forms/child-messages.ts'
import {
  validateChild,
  type FieldProblem as ChildProblem,
  type RawChild,
} from '../../domain/child-validation.ts'
import type { CalendarDate } from '../../domain/calendar-date.ts'
import { normaliseUpn } from '../../domain/upn.ts'
import { caseReferenceTaken, upnTaken } from '../../shared/uniqueness.ts'
import { listOpenSchools, listSocialWorkers } from '../child-admin/child-admin.service.ts'
import type { ApiChildRow } from './api.repository.ts'
import type { ChildInput } from './children.schemas.ts'
import type { FieldProblem } from '../../shared/api/problem.ts'

/*
 * A child sent to the API, checked by the same rule as the add and edit forms and the import
 * (`validateChild`), with the same lookups: a URN among the authority's open schools (as the
 * import), a social worker of the authority by email (as the import), the case reference and UPN
 * not another child's. The rule's words come back as each field's `detail`.
 */

/** The rule's field names, as the API names them. */
const API_FIELD: Partial<Record<keyof RawChild, string>> = {
  school: 'schoolUrn',
  recordOwner: 'socialWorkerEmail',
}

export function childProblems(problems: ChildProblem[]): FieldProblem[] {
  return problems.map((p) => ({
    pointer: `/${API_FIELD[p.field] ?? p.field}`,
    in: 'body' as const,
    code: 'child.invalid',
    detail: childProblemText(p),
  }))
}

const date = (value: CalendarDate) => ({ ok: true as const, value })

export async function checkChild(
  db: Database,
  input: {
    authorityId: string
    caseReference: string
    body: ChildInput
    today: CalendarDate
    /** The child as stored, when this updates one. */
    stored?: ApiChildRow
  },
) {
  const { authorityId, caseReference, body, stored } = input
  const raw: RawChild = {
    firstName: body.firstName.trim(),
    lastName: body.lastName.trim(),
    preferredName: body.preferredName?.trim() ?? '',
    dateOfBirth: date(body.dateOfBirth),
    gender: body.gender,
    upn: body.upn?.trim() ?? '',
    uln: body.uln?.trim() ?? '',
    caseReference,
    enteredCareOn: date(body.enteredCareOn),
    emergencyPlacement: body.emergencyPlacement ? 'yes' : 'no',
    legalStatus: body.legalStatus?.trim() ?? '',
    // School, placement and owner are set at creation; afterwards they change through events.
    placement: stored ? '' : (body.placement?.trim() ?? ''),
    school: stored ? '' : (body.schoolUrn ?? ''),
    senStatus: body.senStatus,
    yearGroupOverride: body.yearGroupOverride ?? '',
    recordOwner: stored ? '' : (body.socialWorkerEmail?.trim() ?? ''),
  }
  const [schools, owners, taken, upnInUse] = await Promise.all([
    stored ? Promise.resolve([]) : listOpenSchools(db, authorityId),
    stored ? Promise.resolve([]) : listSocialWorkers(db, authorityId),
    caseReferenceTaken(db, authorityId, caseReference, stored?.id),
    raw.upn ? upnTaken(db, normaliseUpn(raw.upn), stored?.id) : false,
  ])
  const byUrn = new Map<string, string>(
    schools.flatMap((s) => (s.urn ? [[s.urn, s.id] as const] : [])),
  )
  const byEmail = new Map<string, string>(owners.map((o) => [o.email.toLowerCase(), o.id]))
  return validateChild(raw, {
    today: input.today,
    resolveSchool: (urn) => {
      const id = byUrn.get(urn)
      return id ? { id } : { error: `No open school of the authority has URN ${urn}` }
    },
    resolveOwner: (email) => {
      const id = byEmail.get(email.toLowerCase())
      return id ? { id } : { error: `${email} is not a social worker of the authority` }
    },
    caseReferenceTaken: () => taken,
    upnTaken: () => upnInUse,
    ...(stored ? { storedUpn: stored.upn } : {}),
  })
}

/** On an update, a school, placement or social worker that differs must go through its event. */
export function changesNeedingEvents(body: ChildInput, stored: ApiChildRow): FieldProblem[] {
  const problems: FieldProblem[] = []
  const differs = (given: string | null | undefined, now: string | null) =>
    given !== undefined && (given ?? null) !== now
  if (differs(body.schoolUrn, stored.schoolUrn))
    problems.push({
      pointer: '/schoolUrn',
      in: 'body',
      code: 'child.use-event',
      detail: 'A change of school is recorded with POST .../school-changes',
    })
  if (differs(body.placement, stored.placement))
    problems.push({
      pointer: '/placement',
      in: 'body',
      code: 'child.use-event',
      detail: 'A change of placement is recorded with POST .../placement-changes',
    })
  if (
    body.socialWorkerEmail !== undefined &&
    (body.socialWorkerEmail ?? '').toLowerCase() !== (stored.socialWorkerEmail ?? '').toLowerCase()
  )
    problems.push({
      pointer: '/socialWorkerEmail',
      in: 'body',
      code: 'child.use-event',
      detail: 'A change of social worker is recorded with POST .../social-worker-changes',
    })
  return problems
}
