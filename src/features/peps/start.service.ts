import { randomUUID } from 'node:crypto'
import type { Database, Queryable } from '../../db/connection.ts'
import { loadAuthoritySettings } from '../../shared/settings.ts'
import { closureDaySet } from '../../shared/settings.ts'
import { targetDate } from '../../domain/timescales.ts'
import { inviteToMeeting } from './meeting-invitations.repository.ts'
import { isInitialPep } from '../../domain/initial-pep.ts'
import { termStart, type Term } from '../../domain/terms.ts'
import { formTypeFor, isYearGroup, yearGroupOn, type YearGroup } from '../../domain/year-group.ts'
import { currentTemplate } from '../../forms/templates/index.ts'
import type { Answers, AnswerValue, FormTemplate, RepeatItem } from '../../forms/types.ts'
import {
  insertPep,
  listPepsOfChild,
  pagesOf,
  pepsInTerm,
  writePage,
  type PageRow,
} from './peps.repository.ts'
import { audit, type PersonActor } from '../../shared/actor.ts'
import { ok, refuse, type Result } from '../../shared/result.ts'

/*
 * Starting a PEP: one child's from its page, or a term's in bulk (jobs/bulk-start.ts), both
 * through one createPep, and what a new PEP carries forward from the last one.
 */

export interface ChildForPep {
  id: string
  authorityId: string
  dateOfBirth: string
  yearGroupOverride: string | null
  schoolId: string | null
  atSpecialSchool: boolean
}

export async function childForPep(db: Queryable, childId: string): Promise<ChildForPep> {
  const row = await db
    .selectFrom('child as c')
    .leftJoin('school as s', 's.id', 'c.school_id')
    .select([
      'c.id',
      'c.authority_id as authorityId',
      'c.date_of_birth as dateOfBirth',
      'c.year_group_override as yearGroupOverride',
      'c.school_id as schoolId',
      's.type as schoolType',
    ])
    .where('c.id', '=', childId)
    .executeTakeFirstOrThrow()
  return { ...row, atSpecialSchool: row.schoolType === 'special' }
}

/** The year group a child is in during a term, or undefined when no PEP applies (too young, past Year 13). */
export function yearGroupInTerm(child: ChildForPep, term: Term): YearGroup | undefined {
  const override = isYearGroup(child.yearGroupOverride) ? child.yearGroupOverride : null
  const result = yearGroupOn(child.dateOfBirth, termStart(term), override)
  return result.kind === 'year' ? result.yearGroup : undefined
}

/** Why no PEP was started: the term has one already, or the child is not of PEP age in it. */
export type StartRefusal = 'pep.term-taken' | 'pep.no-year-group'

/** The PEP started, or why not. */
export type StartResult = Result<{ pepId: string }, StartRefusal>

/**
 * Starts a PEP for a term: form type and year group from the child, the current template, and
 * what carries forward from the child's last PEP (personal and care information, previous
 * schools, and last term's targets for review). One transaction: all of it or none.
 */
/** Starts a PEP and invites each invitee to its meeting, in one transaction. */
export async function startPep(
  db: Database,
  actor: PersonActor,
  request: StartRequest,
  baseUrl: string,
): Promise<StartResult> {
  return db.transaction().execute(async (trx) => {
    const result = await createPep(trx, actor, request)
    if (result.ok)
      await inviteToMeeting(trx, {
        pepId: result.value.pepId,
        invitedBy: actor.userId,
        at: actor.now,
        baseUrl,
      })
    return result
  })
}

export interface StartRequest {
  child: ChildForPep
  term: Term
  meetingOn: string | null
  changeOfSchool: boolean
  /** The meeting, as the start form records it; a PEP started at sign-off has none of it. */
  meetingTime?: string | null
  meetingLocation?: string | null
  meetingReasons?: readonly string[]
  meetingOtherReason?: string | null
  contactName?: string | null
  contactPhone?: string | null
  /** People on the child's access list, and outside email addresses. */
  invitees?: { userIds: readonly string[]; emails: readonly string[] }
}

/**
 * Starts a PEP within the caller's transaction (also used at sign-off for the next term's). Its
 * target date follows the meeting; it is the initial PEP if the child has just come into care.
 */
export async function createPep(
  trx: Queryable,
  actor: PersonActor,
  request: StartRequest,
): Promise<StartResult> {
  const { child, term } = request
  const yearGroup = yearGroupInTerm(child, term)
  if (!yearGroup) return refuse('pep.no-year-group')
  const template = currentTemplate(formTypeFor(yearGroup, child.atSpecialSchool))
  // Serialise starts for this child, so two people cannot both start this term's PEP.
  const locked = await trx
    .selectFrom('child')
    .select(['id', 'entered_care_on as enteredCareOn'])
    .where('id', '=', child.id)
    .forUpdate()
    .executeTakeFirstOrThrow()
  const existing = await pepsInTerm(trx, child.id, term)
  if (existing.some((p) => !p.changeOfSchool) && !request.changeOfSchool)
    return refuse('pep.term-taken')
  // The latest few PEPs, newest first: each page carries from the newest that has it.
  const earlier = (await listPepsOfChild(trx, child.id, 3)).slice(0, 3)
  const last = earlier[0]
  const settings = await loadAuthoritySettings(trx, child.authorityId)
  // Closure days matter only to a child who entered care in the last few weeks.
  const closures =
    earlier.length === 0
      ? await closureDaySet(trx, child.authorityId, {
          from: locked.enteredCareOn,
          to: actor.today,
        })
      : undefined
  const isInitial = isInitialPep({
    enteredCareOn: locked.enteredCareOn,
    today: actor.today,
    hasEarlierPep: earlier.length > 0,
    workingDays: settings.initialPepMeetingWorkingDays,
    closures,
  })
  const targetOn = request.meetingOn ? targetDate(request.meetingOn, settings) : null
  const invitees = request.invitees ?? { userIds: [], emails: [] }
  const pepId = await insertPep(trx, {
    childId: child.id,
    authorityId: child.authorityId,
    term,
    formType: template.formType,
    templateVersion: template.version,
    yearGroup,
    schoolId: child.schoolId,
    changeOfSchool: request.changeOfSchool,
    startedOn: actor.today,
    meetingOn: request.meetingOn,
    meetingTime: request.meetingTime ?? null,
    meetingLocation: request.meetingLocation ?? null,
    meetingReasons: request.meetingReasons ?? [],
    meetingOtherReason: request.meetingOtherReason ?? null,
    contactName: request.contactName ?? null,
    contactPhone: request.contactPhone ?? null,
    targetOn,
    isInitial,
    invitees,
    carriedFromId: last?.id ?? null,
    createdBy: actor.userId,
    at: actor.now,
  })
  const earlierPages = await Promise.all(earlier.map((p) => pagesOf(trx, p.id)))
  const carried = addSchoolMoves(
    template,
    carryForward(template, earlierPages),
    await schoolMovesOf(trx, child.id),
  )
  for (const [pageId, answers] of carried) {
    await writePage(trx, {
      pepId,
      pageId,
      answers,
      version: 1,
      savedBy: actor.userId,
      at: actor.now,
      kind: 'carried-forward',
    })
  }
  await audit(trx, actor, {
    action: 'pep.start',
    authorityId: child.authorityId,
    childId: child.id,
    details: {
      pepId,
      term: `${term.academicYear}-${term.name}`,
      formType: template.formType,
      carriedForwardFrom: last?.id ?? null,
      pagesCarriedForward: [...carried.keys()],
      meetingOn: request.meetingOn,
      targetOn,
      isInitial,
      invitees: invitees.userIds.length + invitees.emails.length,
    },
  })
  return ok({ pepId })
}

/**
 * What a new PEP takes from the last ones (newest first): the answers of each carry-forward
 * page from the newest PEP that has it, for the questions the new template still asks; and the
 * newest targets, as items to review.
 */
export function carryForward(
  template: FormTemplate,
  earlier: readonly ReadonlyMap<string, Pick<PageRow, 'answers'>>[],
  newId: () => string = randomUUID,
): Map<string, Answers> {
  const carried = new Map<string, Answers>()
  for (const section of template.sections) {
    for (const page of section.pages) {
      if (!page.carryForward) continue
      const last = earlier.find((pages) => pages.has(page.id))?.get(page.id)?.answers
      if (!last) continue
      const answers: Record<string, AnswerValue> = {}
      for (const question of page.questions) {
        const value = last[question.id]
        if (value !== undefined) answers[question.id] = value
      }
      if (Object.keys(answers).length > 0) carried.set(page.id, answers)
    }
  }
  const reviewPage = template.sections
    .flatMap((s) => s.pages)
    .find((p) => p.questions.some((q) => q.id === 'target-reviews'))
  const lastTargets = earlier
    .flatMap((pages) => [...pages.values()])
    .map((p) => p.answers['targets'])
    .find((v): v is readonly RepeatItem[] => Array.isArray(v) && v.length > 0)
  if (reviewPage && lastTargets) {
    carried.set(reviewPage.id, {
      'target-reviews': lastTargets.map((target) => {
        const item: RepeatItem = { id: newId(), carriedFrom: target.id }
        if (typeof target['area'] === 'string') item['area'] = areaText(template, target['area'])
        if (typeof target['target'] === 'string') item['target'] = target['target']
        return item
      }),
    })
  }
  return carried
}

/** A school the child has left, from their school history: a row of "Previous schools". */
export interface SchoolMove {
  name: string
  urn: string | null
  startedOn: string
  endedOn: string
  /** Why they left: the reason recorded with the move to the next school. */
  reason: string | null
}

/** Every school in the child's history that they have left, most recent first. */
export async function schoolMovesOf(db: Queryable, childId: string): Promise<SchoolMove[]> {
  return (await schoolMovesOfChildren(db, [childId])).get(childId) ?? []
}

/** Each child's school moves (as schoolMovesOf), in one query for a batch of children. */
export async function schoolMovesOfChildren(
  db: Queryable,
  childIds: readonly string[],
): Promise<Map<string, SchoolMove[]>> {
  const byChild = new Map<string, SchoolMove[]>()
  if (childIds.length === 0) return byChild
  const rows = await db
    .selectFrom('child_school as cs')
    .innerJoin('school as s', 's.id', 'cs.school_id')
    .select(['cs.child_id', 's.name', 's.urn', 'cs.started_on', 'cs.ended_on', 'cs.reason'])
    .where('cs.child_id', 'in', [...childIds])
    .orderBy('cs.child_id')
    .orderBy('cs.started_on')
    .orderBy('cs.created_at')
    .execute()
  rows.forEach((row, i) => {
    if (!row.ended_on) return
    const next = rows[i + 1]?.child_id === row.child_id ? rows[i + 1] : undefined
    const moves = byChild.get(row.child_id) ?? []
    moves.unshift({
      name: row.name,
      urn: row.urn,
      startedOn: row.started_on,
      endedOn: row.ended_on,
      reason: next?.reason ?? null,
    })
    byChild.set(row.child_id, moves)
  })
  return byChild
}

/**
 * "Previous schools" lists every school move recorded in OpenPEP (issue 15): each school the
 * child has left is added to what was carried forward unless it is there already (the same URN,
 * or the same name, starting on the same date), and the list is kept most recent first. What
 * people typed is never changed or removed.
 */
export function addSchoolMoves(
  template: FormTemplate,
  carried: Map<string, Answers>,
  moves: readonly SchoolMove[],
  newId: () => string = randomUUID,
): Map<string, Answers> {
  if (moves.length === 0) return carried
  const page = template.sections
    .flatMap((s) => s.pages)
    .find((p) => p.questions.some((q) => q.id === 'previous-schools' && q.type === 'repeating'))
  if (!page) return carried
  const answers = carried.get(page.id) ?? {}
  const listed = answers['previous-schools']
  const items: RepeatItem[] = Array.isArray(listed) ? [...(listed as RepeatItem[])] : []
  const same = (item: RepeatItem, move: SchoolMove) => {
    const urn = typeof item['urn'] === 'string' ? item['urn'].trim() : ''
    if (urn && move.urn) return urn === move.urn
    const name = typeof item['school-name'] === 'string' ? item['school-name'].trim() : ''
    return name.toLowerCase() === move.name.toLowerCase() && item['from-date'] === move.startedOn
  }
  let added = 0
  for (const move of moves) {
    if (items.some((item) => same(item, move))) continue
    const item: RepeatItem = {
      id: newId(),
      'school-name': move.name,
      'from-date': move.startedOn,
      'to-date': move.endedOn,
    }
    if (move.urn) item['urn'] = move.urn
    if (move.reason) item['reason-for-leaving'] = move.reason
    items.push(item)
    added++
  }
  if (added === 0) return carried
  const left = (item: RepeatItem) => (typeof item['to-date'] === 'string' ? item['to-date'] : '')
  // Most recent first; a row with no date keeps its place after the dated ones.
  const sorted = items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => left(b.item).localeCompare(left(a.item)) || a.index - b.index)
    .map(({ item }) => item)
  const result = new Map(carried)
  result.set(page.id, { ...answers, 'previous-schools': sorted })
  return result
}

/** A target's area as words ("Literacy"), for the review list, which takes free text. */
function areaText(template: FormTemplate, value: string): string {
  for (const section of template.sections)
    for (const page of section.pages)
      for (const question of page.questions) {
        if (question.type !== 'repeating' || question.id !== 'targets') continue
        const area = question.fields.find((f) => f.id === 'area')
        if (area && 'options' in area)
          return area.options.find((o) => o.value === value)?.text ?? value
      }
  return value
}
