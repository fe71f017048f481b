import type { Database, Queryable } from '../../db/connection.ts'
import { queueWebhookEvent } from '../../shared/webhooks.ts'
import { enqueueEmail } from '../../email/outbox.repository.ts'
import { listAccessEntries } from '../../shared/child-access.ts'
import {
  contributionReturnedEmail,
  contributionSentEmail,
  delegationEmail,
  improvementRequestedEmail,
  signedOffEmail,
  carerSignedOffEmail,
} from '../../email/pep-emails.ts'
import type { EmailMessage } from '../../email/outbox.repository.ts'
import { paths } from '../../paths.ts'
import { inviteToMeeting } from './meeting-invitations.repository.ts'
import { isAnswered } from '../../forms/answers.ts'
import { applicablePages } from '../../forms/completion.ts'
import {
  decide,
  inQaSample,
  ratingsNeedingHead,
  type PepFacts,
  type PepState,
  type Transition,
} from '../../domain/pep-workflow.ts'
import type { CalendarDate } from '../../domain/calendar-date.ts'
import type { Role } from '../../domain/roles.ts'
import { nextTerm } from '../../domain/terms.ts'
import {
  colleagueFor,
  missingReason,
  reopensSchoolPart,
  sectionsToReopen,
  type StepCheck,
} from '../../domain/pep-steps.ts'
import {
  closeTasks,
  raiseAlert,
  raiseTask,
  type Assignee,
  type TaskKind,
} from '../../shared/tasks.ts'
import { type PepInContext } from './pep-context.ts'
import { lockPep, pagesOf, sectionsOf, markSectionComplete } from './peps.repository.ts'
import { storePdf } from './pep-pdf.service.ts'
import { contextOf } from './peps.service.ts'
import { audit, SYSTEM_ROLE, type PersonActor } from '../../shared/actor.ts'
import { ok, refuse, type Refusal, type Result } from '../../shared/result.ts'
import { transitionRefusalText, type TransitionCode } from '../../forms/pep-workflow-messages.ts'
import { childForPep, createPep } from './start.service.ts'
import { loadAuthoritySettings } from '../../shared/settings.ts'
import type { AuthoritySettings } from '../../domain/authority-settings.ts'
import {
  endParts,
  givePart,
  insertDelegation,
  lastDoneDelegation,
  liveDelegation,
  recordEvent,
  reopenSections,
  schoolContact,
  schoolStaff,
  setDelegationStatus,
  socialWorkerOf,
  type DelegationRow,
} from './workflow.repository.ts'

/*
 * Each transition of a PEP's life in one transaction: the state machine's decision on facts
 * read under the PEP's lock, the change, its event with any comments, the tasks it closes and
 * raises, the emails it sends (through the outbox), and its audit event.
 */

export const SCHOOL_SECTIONS = ['B', 'C'] as const

export const isSchoolSection = (sectionId: string) =>
  (SCHOOL_SECTIONS as readonly string[]).includes(sectionId)

/**
 * The pages a delegation can give the school (issue 15): each page that applies to the child in
 * the school's sections not yet complete, in the form's order.
 */
export function delegablePages(
  pep: PepInContext,
  pages: Awaited<ReturnType<typeof pagesOf>>,
  completeSections: readonly string[],
) {
  const context = contextOf(pep.yearGroupValue, pages)
  return pep.template.sections
    .filter((s) => isSchoolSection(s.id) && !completeSections.includes(s.id))
    .flatMap((section) =>
      applicablePages(section, context).map((page) => ({
        sectionId: section.id,
        sectionTitle: section.title,
        pageId: page.id,
        pageTitle: page.title,
      })),
    )
}

/** A page as an email names it: "Section B: Attendance" (the form's words, nothing typed). */
const pageName = (page: { sectionId: string; pageTitle: string }) =>
  `Section ${page.sectionId}: ${page.pageTitle}`

/** The names of these pages of the PEP's form, in the form's order. */
function pageNamesOf(pep: PepInContext, pageIds: readonly string[]) {
  return pep.template.sections.flatMap((section) =>
    section.pages
      .filter((page) => pageIds.includes(page.id))
      .map((page) => pageName({ sectionId: section.id, pageTitle: page.title })),
  )
}

/** The school's roles: they change its sections only while those are delegated to them. */
export const schoolRole = (role: Role | null) =>
  role === 'designated_teacher' || role === 'designated_person'

export interface TransitionInput {
  comments?: string
  /** For a return: which sections to reopen. */
  reopen?: readonly string[]
  dueOn?: string
  /** For a delegation: who at the school gets it (else the designated teacher). */
  delegateTo?: string
  /** For a delegation: the pages chosen (else every page of the school's open sections). */
  pages?: readonly string[]
  meetingOn?: string
  meetingTime?: string
}

export type TransitionResult =
  | { kind: 'done'; to: PepState; nextPepId?: string }
  /** Refused, as a code (the words are the page's); `field` names the form's field it is about. */
  | { kind: 'refused'; refusal: Refusal<TransitionCode>; field?: 'delegateTo' | 'pages' }

/** What the state machine needs to know, read inside the caller's transaction. */
export async function gatherFacts(
  db: Queryable,
  pep: PepInContext,
  who: { userId: string; today: CalendarDate },
  /**
   * What the caller has read already in this request: the PEP's pages, sections and live
   * delegation, its authority's settings, and (a page that only reads, not a step under the
   * PEP's lock) the PEP's row as read for the request.
   */
  loaded: {
    pages?: Awaited<ReturnType<typeof pagesOf>>
    sections?: Awaited<ReturnType<typeof sectionsOf>>
    delegation?: { live: Awaited<ReturnType<typeof liveDelegation>> }
    settings?: AuthoritySettings
    current?: { status: PepInContext['status']; meetingConfirmedAt: Date | null }
  } = {},
): Promise<PepFacts & { delegationId?: string; delegateId?: string }> {
  const [current, delegation, pages, sections, contact, settings] = await Promise.all([
    loaded.current
      ? { status: loaded.current.status, meeting_confirmed_at: loaded.current.meetingConfirmedAt }
      : db
          .selectFrom('pep')
          .select(['status', 'meeting_confirmed_at'])
          .where('id', '=', pep.id)
          .executeTakeFirstOrThrow(),
    loaded.delegation ? loaded.delegation.live : liveDelegation(db, pep.id),
    loaded.pages ?? pagesOf(db, pep.id),
    loaded.sections ?? sectionsOf(db, pep.id),
    schoolContact(db, pep.childId),
    loaded.settings ?? loadAuthoritySettings(db, pep.authorityId),
  ])
  const answers = contextOf(pep.yearGroupValue, pages).answers
  const sectionIds = pep.template.sections.map((s) => s.id)
  return {
    state: current.status,
    delegation:
      delegation?.status === 'submitted' ? 'submitted' : delegation ? 'delegated' : 'none',
    actorIsDelegate: delegation?.delegatedTo === who.userId,
    delegationId: delegation?.id,
    delegateId: delegation?.delegatedTo,
    completeSections: [...sections.values()].filter((s) => s.completedAt).map((s) => s.sectionId),
    sections: sectionIds,
    schoolSections: SCHOOL_SECTIONS.filter((s) => sectionIds.includes(s)),
    hasNextMeeting:
      isAnswered(answers['next-meeting-date']) && isAnswered(answers['next-meeting-time']),
    meetingConfirmed: current.meeting_confirmed_at !== null,
    bsoCheck: settings.bsoCheck,
    qaRequired: inQaSample(pep.id, settings.qaSamplePercent),
    qaComplete: Boolean(sections.get('D')?.completedAt),
    // Someone to give the school's pages to: on the child's list, or on the school's staff.
    schoolHasDesignatedTeacher:
      contact !== undefined || (await schoolStaff(db, pep.childId)).length > 0,
    meetingOn: pep.meetingOn,
    today: who.today,
    overallRating: typeof answers['qa-overall'] === 'string' ? answers['qa-overall'] : null,
    headSignsOff: ratingsNeedingHead(settings.headSignsOffFrom),
  }
}

/** What one step of a PEP's life works with: read under the PEP's lock, in its transaction. */
interface Step {
  trx: Queryable
  actor: PersonActor
  pep: PepInContext
  facts: Awaited<ReturnType<typeof gatherFacts>>
  decision: { to: PepState }
  input: TransitionInput
  transition: Transition
  baseUrl: string
  childName: string
  by: string
  /** Closes the PEP's open tasks of these kinds (every kind when none is named). */
  close(...kinds: TaskKind[]): Promise<void>
  /** Raises a task about the PEP (about another PEP with `pepId`). */
  task(task: { kind: TaskKind; assignee: Assignee; title: string } & TaskExtra): Promise<unknown>
  /** Raises an alert about the PEP for one person. */
  alert(alert: { kind: TaskKind; userId: string; title: string }): Promise<unknown>
  /** Records the step on the PEP's history, with the comments given. */
  event(kind: string, details?: Record<string, unknown>): Promise<unknown>
  /** Sends a PEP email (through the outbox), linking to the work tray: it names no child. */
  email(
    to: { email: string; name: string } | undefined,
    compose: (r: { to: string; name: string; url: string }) => EmailMessage,
  ): Promise<void>
  school: Awaited<ReturnType<typeof schoolContact>>
  socialWorker: Awaited<ReturnType<typeof socialWorkerOf>>
}

type TaskExtra = { dueOn?: string; pepId?: string }

/** The tasks of the school's part: closed when it is passed on, retracted or sent. */
const SCHOOL_PART_TASKS: TaskKind[] = ['complete-school-sections', 'amendments-requested']

/** The Virtual School's task once the PEP reaches it. */
const QUALITY_ASSURE = {
  kind: 'quality-assure',
  assignee: { group: 'vs_consultant' },
  title: 'Quality assure the PEP',
} as const

/** The task of the person given the school's pages, by the day they are due. */
const schoolSectionsTask = (userId: string, dueOn: string) =>
  ({
    kind: 'complete-school-sections',
    assignee: { userId },
    title: 'Complete the school’s sections of the PEP',
    dueOn,
  }) as const

/** A step either refused (a code, and its field) or done, with the next PEP it started. */
type StepOutcome =
  | { refused: Refusal<StepCheck>; field?: 'delegateTo' | 'pages' }
  | { refused?: undefined; nextPepId?: string }

/*
 * One small function per step: each makes its own change, history, tasks and emails. Whether
 * the step may be taken (this role, in this state) is the pure state machine's decision; what a
 * step needs said first, and what a return reopens, are the pure rules of domain/pep-steps.ts.
 */

async function delegate(step: Step): Promise<StepOutcome> {
  const { trx, actor, pep, facts, input, by, close, task, event, email, school } = step
  const offered = delegablePages(pep, await pagesOf(trx, pep.id), facts.completeSections)
  const offeredIds = offered.map((o) => o.pageId)
  const chosen = input.pages ?? offeredIds
  if (chosen.length === 0 || !chosen.every((id) => offeredIds.includes(id)))
    return { refused: { code: 'step.no-open-pages' } }
  // Every page offered went: the whole sections, as before pages could be chosen.
  const pages = offeredIds.every((id) => chosen.includes(id)) ? null : [...chosen]
  const sections = facts.schoolSections.filter((s) =>
    offered.some((o) => o.sectionId === s && chosen.includes(o.pageId)),
  )
  // The person chosen must still be at the school, on the child's list, now.
  const staff = await schoolStaff(trx, pep.childId)
  const to = input.delegateTo
    ? staff.find((p) => p.id === input.delegateTo)
    : (school ?? (staff.length === 1 ? staff[0] : undefined))
  if (!to) return { refused: { code: 'step.delegate-gone' } }
  await insertDelegation(trx, {
    pepId: pep.id,
    to: to.id,
    by,
    sections: [...sections],
    pages,
    dueOn: input.dueOn!,
    at: actor.now,
  })
  await event('delegated', {
    to: to.id,
    sections,
    ...(pages && { pages }),
    dueOn: input.dueOn,
  })
  await close('set-up-next-pep')
  await task(schoolSectionsTask(to.id, input.dueOn!))
  const pageNames = pages && offered.filter((o) => pages.includes(o.pageId)).map(pageName)
  await email(to, (r) => delegationEmail({ ...r, dueOn: input.dueOn!, pages: pageNames }))
  return {}
}

/** The task of a colleague given part of the school's pages, by the day the school's part is due. */
const partTask = (userId: string, dueOn: string) =>
  ({
    kind: 'complete-school-sections',
    assignee: { userId },
    title: 'Complete the pages of the PEP passed to you',
    dueOn,
  }) as const

/**
 * The pages the holder of the school's part may pass on (issue 15): those delegated to them, in
 * the school's sections still open, each with whoever holds it now (a colleague, or the holder).
 */
export function passablePages(
  pep: PepInContext,
  pages: Awaited<ReturnType<typeof pagesOf>>,
  completeSections: readonly string[],
  live: Pick<DelegationRow, 'pages' | 'parts'>,
) {
  return delegablePages(pep, pages, completeSections)
    .filter((o) => live.pages === null || live.pages.includes(o.pageId))
    .map((o) => ({ ...o, withPart: live.parts.find((p) => p.pages.includes(o.pageId)) }))
}

/**
 * Passes chosen pages of the school's part to a colleague at the same school (issue 15): each
 * colleague their own part, task and email; each page with one colleague at a time. The holder
 * keeps the rest, the due date and the sending of the school's contribution.
 */
async function passOn(step: Step): Promise<StepOutcome> {
  const { trx, actor, pep, facts, input, by, task, event, email } = step
  const staff = await schoolStaff(trx, pep.childId)
  const to = colleagueFor(staff, input.delegateTo, by)
  const live = await liveDelegation(trx, pep.id)
  if (!to || !live) return { refused: { code: 'step.no-colleague' }, field: 'delegateTo' }
  const passable = passablePages(pep, await pagesOf(trx, pep.id), facts.completeSections, live)
  const free = passable.filter((o) => !o.withPart).map((o) => o.pageId)
  const chosen = input.pages ?? free
  const taken = passable.find((o) => o.withPart && chosen.includes(o.pageId))
  if (taken)
    return {
      refused: {
        code: 'step.page-taken',
        params: { page: taken.pageTitle, holder: taken.withPart!.delegatedToName },
      },
      field: 'pages',
    }
  if (chosen.length === 0 || !chosen.every((id) => free.includes(id)))
    return { refused: { code: 'step.no-pages-chosen' }, field: 'pages' }
  const { added } = await givePart(trx, {
    of: live,
    pepId: pep.id,
    to: to.id,
    by,
    pages: [...chosen],
    at: actor.now,
  })
  await event('delegation-part-given', { to: to.id, pages: chosen })
  // Their own task, once: more pages later join the task they have.
  if (!added) await task(partTask(to.id, live.dueOn))
  await email(to, (r) =>
    delegationEmail({
      ...r,
      dueOn: live.dueOn,
      pages: pageNamesOf(pep, chosen),
      passedOn: true,
    }),
  )
  return {}
}

async function retract(step: Step): Promise<StepOutcome> {
  const { trx, actor, facts, close, alert, event } = step
  await setDelegationStatus(trx, {
    id: facts.delegationId!,
    status: 'retracted',
    at: actor.now,
  })
  // The colleagues' parts end with it: each is told.
  const parts = await endParts(trx, { of: facts.delegationId!, status: 'retracted', at: actor.now })
  await event('delegation-retracted', { from: facts.delegateId })
  await close(...SCHOOL_PART_TASKS)
  for (const userId of [facts.delegateId!, ...parts.map((p) => p.delegatedTo)])
    await alert({
      kind: 'delegation-retracted',
      userId,
      title: 'A PEP delegated to you was retracted: what you saved is kept',
    })
  return {}
}

async function submitContribution(step: Step): Promise<StepOutcome> {
  const { trx, actor, facts, close, task, alert, event, email, socialWorker } = step
  await setDelegationStatus(trx, {
    id: facts.delegationId!,
    status: 'submitted',
    at: actor.now,
  })
  // Any part still with a colleague ends with the school's part sent.
  await endParts(trx, { of: facts.delegationId!, status: 'done', at: actor.now })
  await event('contribution-submitted')
  await close(...SCHOOL_PART_TASKS)
  if (socialWorker) {
    await task({
      kind: 'check-contribution',
      assignee: { userId: socialWorker.id },
      title: 'Check the school’s contribution to the PEP',
    })
    await alert({
      kind: 'contribution-returned',
      userId: socialWorker.id,
      title: 'The school sent its contribution to the PEP',
    })
  }
  await email(socialWorker, contributionSentEmail)
  return {}
}

async function returnContribution(step: Step): Promise<StepOutcome> {
  const { trx, actor, pep, facts, close, task, event, email, school } = step
  const reopen = facts.schoolSections
  await reopenSections(trx, pep.id, reopen)
  await setDelegationStatus(trx, {
    id: facts.delegationId!,
    status: 'delegated',
    at: actor.now,
  })
  await event('contribution-returned', { reopened: reopen })
  await close('check-contribution')
  await task({
    kind: 'amendments-requested',
    assignee: { userId: facts.delegateId! },
    title: 'Make the amendments the social worker asked for',
  })
  await email(school, contributionReturnedEmail)
  return {}
}

async function confirmMeeting(step: Step): Promise<StepOutcome> {
  const { trx, actor, pep, by, event } = step
  await trx
    .updateTable('pep')
    .set({ meeting_confirmed_by: by, meeting_confirmed_at: actor.now })
    .where('id', '=', pep.id)
    .execute()
  await event('meeting-confirmed')
  return {}
}

async function rescheduleMeeting(step: Step): Promise<StepOutcome> {
  const { trx, actor, pep, input, baseUrl, by, event } = step
  await trx
    .updateTable('pep')
    .set({ meeting_on: input.meetingOn!, meeting_time: input.meetingTime ?? null })
    .where('id', '=', pep.id)
    .execute()
  await event('meeting-rescheduled', {
    from: pep.meetingOn,
    fromTime: pep.meetingTime,
    to: input.meetingOn,
    toTime: input.meetingTime,
  })
  await inviteToMeeting(trx, { pepId: pep.id, invitedBy: by, at: actor.now, baseUrl })
  return {}
}

async function submitToVs(step: Step): Promise<StepOutcome> {
  const { trx, actor, pep, facts, decision, close, task, event } = step
  if (facts.delegation === 'submitted')
    await setDelegationStatus(trx, { id: facts.delegationId!, status: 'done', at: actor.now })
  await trx
    .updateTable('pep')
    .set({ status: decision.to, submitted_at: actor.now })
    .where('id', '=', pep.id)
    .execute()
  await event('submitted-to-vs', { to: decision.to })
  await close('check-contribution', 'amendments-requested')
  await task(
    decision.to === 'awaiting_bso_check'
      ? {
          kind: 'bso-check',
          assignee: { group: 'business_support' },
          title: 'Check the PEP before quality assurance',
        }
      : QUALITY_ASSURE,
  )
  return {}
}

async function bsoPass(step: Step): Promise<StepOutcome> {
  const { trx, pep, decision, close, task, event } = step
  await trx.updateTable('pep').set({ status: decision.to }).where('id', '=', pep.id).execute()
  await event('bso-passed')
  await close('bso-check')
  await task(QUALITY_ASSURE)
  return {}
}

async function returnForImprovement(step: Step): Promise<StepOutcome> {
  const { trx, actor, pep, facts, decision, input, close, task, event, email } = step
  const { transition, school, socialWorker } = step
  const reopen = sectionsToReopen(input.reopen, facts.sections)
  await reopenSections(trx, pep.id, reopen)
  await trx.updateTable('pep').set({ status: decision.to }).where('id', '=', pep.id).execute()
  await event(transition === 'qa-return' ? 'returned-for-improvement' : 'returned-by-bso', {
    reopened: reopen,
  })
  await close('bso-check', 'quality-assure')
  if (reopensSchoolPart(reopen, SCHOOL_SECTIONS)) {
    // The school's part goes back to the teacher who gave it, with the comments.
    const done = await lastDoneDelegation(trx, pep.id)
    const teacher = done?.delegatedTo ?? school?.id
    if (done) await setDelegationStatus(trx, { id: done.id, status: 'delegated', at: actor.now })
    if (teacher)
      await task({
        kind: 'amendments-requested',
        assignee: { userId: teacher },
        title: 'Make the improvements the Virtual School asked for',
      })
    await email(school, improvementRequestedEmail)
  }
  if (socialWorker) {
    await task({
      kind: 'amendments-requested',
      assignee: { userId: socialWorker.id },
      title: 'Improve the PEP and submit it again',
    })
    await email(socialWorker, improvementRequestedEmail)
  }
  return {}
}

async function signOff(step: Step): Promise<StepOutcome> {
  const { trx, actor, pep, facts, by, close, task, alert, event, email } = step
  const { childName, school, socialWorker } = step
  let nextPepId: string | undefined
  if (!facts.completeSections.includes('D'))
    await markSectionComplete(trx, { pepId: pep.id, sectionId: 'D', by, at: actor.now })
  await trx
    .updateTable('pep')
    .set({ status: 'signed_off', signed_off_by: by, signed_off_at: actor.now })
    .where('id', '=', pep.id)
    .execute()
  await event('signed-off')
  await queueWebhookEvent(trx, {
    authorityId: pep.authorityId,
    type: 'pep.signed-off',
    childId: pep.childId,
    pepId: pep.id,
    at: actor.now,
  })
  await storePdf(
    trx,
    { ...pep, status: 'signed_off', signedOffAt: actor.now },
    childName,
    actor.now,
  )
  await close()
  for (const person of [socialWorker, school]) {
    if (!person) continue
    await alert({
      kind: 'signed-off',
      userId: person.id,
      title: 'A PEP was signed off: its quality assurance can be read',
    })
    await email(person, signedOffEmail)
  }
  // The carers with access to the child now are told, with a link to sign in, where the
  // authority's setting says so (issue 20).
  const { carersEmailedSignedOffPep } = await loadAuthoritySettings(trx, pep.authorityId)
  const carers = carersEmailedSignedOffPep
    ? (await listAccessEntries(trx, pep.childId)).filter((e) => e.capacity === 'carer')
    : []
  for (const carer of carers)
    await enqueueEmail(
      trx,
      carerSignedOffEmail({
        to: carer.email,
        name: carer.displayName,
        url: `${step.baseUrl}${paths.signIn()}`,
      }),
      actor.now,
    )
  // The next term's PEP starts at once, with what carries forward; the next meeting
  // agreed at this one is its proposed meeting.
  const [child, pages] = await Promise.all([childForPep(trx, pep.childId), pagesOf(trx, pep.id)])
  const agreed = contextOf(pep.yearGroupValue, pages).answers
  const nextOn = agreed['next-meeting-date']
  const nextTime = agreed['next-meeting-time']
  const next = await createPep(trx, actor, {
    child,
    term: nextTerm({ academicYear: pep.academicYear, name: pep.term }),
    meetingOn: typeof nextOn === 'string' ? nextOn : null,
    meetingTime: typeof nextTime === 'string' ? nextTime : null,
    changeOfSchool: false,
  })
  if (next.ok) {
    nextPepId = next.value.pepId
    // Someone must arrange it: its meeting, invitations and the school's part.
    if (socialWorker)
      await task({
        pepId: next.value.pepId,
        kind: 'set-up-next-pep',
        assignee: { userId: socialWorker.id },
        title: 'Set up next term’s PEP: its meeting, invitations and the school’s part',
      })
  }
  return { nextPepId }
}

const STEPS: Record<Transition, (step: Step) => Promise<StepOutcome>> = {
  delegate,
  'pass-on': passOn,
  retract,
  'submit-contribution': submitContribution,
  'return-contribution': returnContribution,
  'confirm-meeting': confirmMeeting,
  'reschedule-meeting': rescheduleMeeting,
  'submit-to-vs': submitToVs,
  'bso-pass': bsoPass,
  'bso-return': returnForImprovement,
  'qa-return': returnForImprovement,
  'sign-off': signOff,
}

/**
 * Takes one step of a PEP's life in one transaction: the state machine's decision on facts read
 * under the PEP's lock, the step's own function, and the audit event, of the step or of its
 * refusal.
 */
export async function makeTransition(
  db: Database,
  actor: PersonActor,
  step: {
    pep: PepInContext
    transition: Transition
    input: TransitionInput
    baseUrl: string
    childName: string
  },
): Promise<TransitionResult> {
  const { pep, transition, input, baseUrl, childName } = step
  return db.transaction().execute(async (trx) => {
    await lockPep(trx, pep.id)
    const facts = await gatherFacts(trx, pep, actor)
    const decision = decide(transition, actor.role === SYSTEM_ROLE ? null : actor.role, facts)
    // A step refused is audited as denied, with its code and the words the person was shown.
    const refused = async (refusal: Refusal<TransitionCode>) => {
      await audit(trx, actor, {
        action: 'pep.transition.refused',
        outcome: 'denied',
        childId: pep.childId,
        details: {
          pepId: pep.id,
          transition,
          code: refusal.code,
          ...(refusal.params && { params: refusal.params }),
          reason: transitionRefusalText(refusal),
        },
      })
      return { kind: 'refused', refusal } as const
    }
    if (!decision.allowed) return refused(decision.refusal)
    const missing = missingReason(transition, facts, input, pep.targetOn)
    if (missing) return refused({ code: missing })
    const by = actor.userId
    const about = {
      authorityId: pep.authorityId,
      childId: pep.childId,
      pepId: pep.id,
      at: actor.now,
    }
    const outcome = await STEPS[transition]({
      trx,
      actor,
      pep,
      facts,
      decision,
      input,
      transition,
      baseUrl,
      childName,
      by,
      close: (...kinds) =>
        closeTasks(trx, { pepId: pep.id, ...(kinds.length ? { kinds } : {}), by, at: actor.now }),
      task: (task) => raiseTask(trx, { ...about, ...task }),
      alert: (alert) => raiseAlert(trx, { ...about, ...alert }),
      event: (kind, details = {}) =>
        recordEvent(trx, {
          pepId: pep.id,
          kind,
          by,
          at: actor.now,
          comments: input.comments ?? null,
          details,
        }),
      email: async (to, compose) => {
        if (!to) return
        const url = `${baseUrl}${paths.trays.mine()}`
        await enqueueEmail(trx, compose({ to: to.email, name: to.name, url }), actor.now, {
          childId: pep.childId,
        })
      },
      school: await schoolContact(trx, pep.childId),
      socialWorker: await socialWorkerOf(trx, pep.childId),
    })
    if (outcome.refused !== undefined)
      return { ...(await refused(outcome.refused)), field: outcome.field }
    const nextPepId = outcome.nextPepId
    await audit(trx, actor, {
      action: 'pep.transition',
      childId: pep.childId,
      details: {
        pepId: pep.id,
        transition,
        from: facts.state,
        to: decision.to,
        nextPepId: nextPepId ?? null,
      },
    })
    return { kind: 'done', to: decision.to, nextPepId } as const
  })
}

/**
 * Ends the live delegations of a child's PEPs held by someone taken off the child's list (issue
 * 15, ADR 8: access follows the relationship), in the removal's own transaction: each is marked
 * retracted (never given back by a later return), its history says why, and the holder's tasks
 * on that PEP close. Nothing they saved is lost. Answers the PEPs whose delegation ended.
 */
export async function endDelegationsOnRemoval(
  trx: Queryable,
  change: { childId: string; userId: string; by: string; at: Date },
): Promise<string[]> {
  const ended = await trx
    .updateTable('pep_delegation')
    .set({ status: 'retracted', ended_at: change.at })
    .where('delegated_to', '=', change.userId)
    .where('status', 'in', ['delegated', 'submitted'])
    .where('pep_id', 'in', (eb) =>
      eb.selectFrom('pep').select('pep.id').where('pep.child_id', '=', change.childId),
    )
    .returning(['id', 'pep_id', 'part_of'])
    .execute()
  // The school's part ends with its colleagues' parts; a colleague's part ends alone.
  for (const d of ended.filter((d) => d.part_of === null))
    await endParts(trx, { of: d.id, status: 'retracted', at: change.at })
  const pepIds = [...new Set(ended.map((d) => d.pep_id))].sort()
  for (const pepId of pepIds) {
    const whole = ended.some((d) => d.pep_id === pepId && d.part_of === null)
    await recordEvent(trx, {
      pepId,
      kind: 'delegation-ended',
      by: change.by,
      at: change.at,
      details: { from: change.userId, reason: 'removed-from-list' },
    })
    await closeTasks(trx, {
      pepId,
      kinds: SCHOOL_PART_TASKS,
      ...(whole ? {} : { assignedTo: change.userId }),
      by: change.by,
      at: change.at,
    })
  }
  return pepIds
}

export type EndPartRefusal = 'part.not-found' | 'part.not-yours'

/**
 * Ends one colleague's part of the school's pages (issue 15), leaving the others: taken back by
 * the holder of the school's part, or handed back by the colleague when done. Its pages return to
 * the holder; the colleague's task closes; the other person is told; history and audit record it.
 */
export async function endPart(
  db: Database,
  actor: PersonActor,
  request: { pep: PepInContext; partId: string },
): Promise<Result<{ handedBack: boolean }, EndPartRefusal>> {
  const { pep, partId } = request
  return db.transaction().execute(async (trx) => {
    await lockPep(trx, pep.id)
    const live = await liveDelegation(trx, pep.id)
    const part = live?.status === 'delegated' ? live.parts.find((p) => p.id === partId) : undefined
    const refused = async (code: EndPartRefusal) => {
      await audit(trx, actor, {
        action: 'pep.delegation.part-ended',
        outcome: 'denied',
        childId: pep.childId,
        details: { pepId: pep.id, partId, code },
      })
      return refuse(code)
    }
    if (!live || !part) return refused('part.not-found')
    const handedBack = part.delegatedTo === actor.userId
    if (!handedBack && live.delegatedTo !== actor.userId) return refused('part.not-yours')
    await endParts(trx, {
      of: live.id,
      partId,
      status: handedBack ? 'done' : 'retracted',
      at: actor.now,
    })
    await recordEvent(trx, {
      pepId: pep.id,
      kind: handedBack ? 'delegation-part-handed-back' : 'delegation-part-taken-back',
      by: actor.userId,
      at: actor.now,
      details: { from: part.delegatedTo, pages: part.pages },
    })
    await closeTasks(trx, {
      pepId: pep.id,
      kinds: SCHOOL_PART_TASKS,
      assignedTo: part.delegatedTo,
      by: actor.userId,
      at: actor.now,
    })
    const about = { authorityId: pep.authorityId, childId: pep.childId, pepId: pep.id }
    await raiseAlert(trx, {
      ...about,
      at: actor.now,
      kind: 'delegation-retracted',
      userId: handedBack ? live.delegatedTo : part.delegatedTo,
      title: handedBack
        ? `${part.delegatedToName} handed back the pages of a PEP you passed to them`
        : 'Pages of a PEP passed to you were taken back: what you saved is kept',
    })
    await audit(trx, actor, {
      action: 'pep.delegation.part-ended',
      childId: pep.childId,
      details: { pepId: pep.id, partId, from: part.delegatedTo, pages: part.pages, handedBack },
    })
    return ok({ handedBack })
  })
}

/*
 * Who a PEP's tasks go to, as other features read it (the jobs' reminders, the oversight
 * reminders): the service is the PEPs feature's face to them; its repository stays its own.
 */
export { socialWorkerOf, socialWorkersOf } from './workflow.repository.ts'
