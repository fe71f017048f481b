import { randomUUID } from 'node:crypto'
import { canAct } from '../../domain/permissions.ts'
import type { Role } from '../../domain/roles.ts'
import { mayShareWithYoungPerson } from '../../forms/reading.ts'
import type { PageInput } from '../../forms/answers.ts'
import { isMandatory } from '../../forms/completion.ts'
import { holds } from '../../forms/conditions.ts'
import { answerAsText } from '../../forms/display.ts'
import type { Answers, Question, Section } from '../../forms/types.ts'
import { paths } from '../../paths.ts'
import type { FormErrors } from '../../forms/validation.ts'
import { formatDate, formatDateTime } from '../../views/format.ts'
import type { NextMeetingProblem } from '../../domain/timescales.ts'
import { historyModel } from './history.presenter.ts'
import type { PepPageInContext } from './page-context.ts'
import type { PepInContext } from './pep-context.ts'
import { pepTitle, questionViews } from './pep.presenter.ts'
import type { PageRow } from './peps.repository.ts'

/* A page of a PEP's form as plain view models: its titles, why it is locked, and its words (ADR 7). */

/** Why this reader cannot change the page now, or undefined when they can. */
export function pageLockReason(facts: {
  ceased: boolean
  sectionOpen: boolean
  pepStatus: string
  section: Section
  complete: boolean
  mayEdit: boolean
  waitingForDelegation: boolean
  /** Other pages were delegated to this reader, not this one (issue 15). */
  notDelegatedPage?: boolean
}): string | undefined {
  return facts.ceased
    ? 'This child has ceased to be in care, so their PEPs are read-only.'
    : !facts.sectionOpen
      ? facts.pepStatus === 'signed_off'
        ? 'This PEP has been signed off, so it can no longer be changed.'
        : facts.section.id === 'D'
          ? 'Quality assurance is given once the PEP has been submitted to the Virtual School.'
          : 'This PEP is with the Virtual School, so it cannot be changed unless it is returned.'
      : facts.complete
        ? `${facts.section.title} has been marked complete, so its pages can no longer be changed.`
        : !facts.mayEdit
          ? 'You can read this page but not change it: it is completed by someone in another role.'
          : facts.waitingForDelegation && facts.notDelegatedPage
            ? 'You can read this page but not change it: it was not among the pages delegated to you, so the social worker completes it.'
            : facts.waitingForDelegation
              ? 'You can change this page once the social worker delegates the school’s sections to you.'
              : undefined
}

export const MOVED_ON_REASON =
  'Someone has moved this PEP on since you opened the page, so it can no longer be changed here. What you typed is below, so you can copy it or send it to whoever now has the PEP.'

export const RESTORED_NOTICE =
  'Your answers were not saved because you were signed out. Check them and save again.'

export const RELOAD_ERRORS: FormErrors = {
  list: [{ text: 'Reload the page and try again', href: '#main-content' }],
  fields: {},
}

export const pageTitleOf = (loaded: PepPageInContext) =>
  `${loaded.page.title} – ${pepTitle(loaded.pep)}`

/** The read-only page: the answers it shows, and what was typed but not saved. */
export function readPageModel(loaded: PepPageInContext, unsaved: Answers | undefined) {
  const answers = loaded.saved?.answers ?? {}
  return {
    unsaved: unsaved
      ? loaded.questions
          .filter((q) => unsaved[q.id] !== undefined)
          .map((q) => ({ label: q.label, text: answerAsText(q, unsaved[q.id]) }))
      : undefined,
    reason: loaded.reason,
    answers: loaded.questions
      .filter((q) => holds(q.condition, loaded.context))
      .map((q) => ({ label: q.label, text: answerAsText(q, answers[q.id]) })),
  }
}

/** The page as a form to change. */
export function editPageModel(
  loaded: PepPageInContext,
  form: { input: PageInput; version: number; errors?: FormErrors },
) {
  const { pep, page } = loaded
  return {
    action: paths.peps.page(pep.childId, pep.id, page.id),
    version: form.version,
    questions: questionViews(
      page,
      form.input,
      form.errors,
      loaded.context,
      loaded.overrides,
      randomUUID,
    ),
    anyMandatory: page.questions.some((q) => isMandatory(q, loaded.overrides)),
  }
}

/** The page met a save made after it was opened: theirs beside mine, where they differ. */
export function conflictModel(
  loaded: PepPageInContext,
  body: Record<string, unknown>,
  mine: Answers,
  theirs: PageRow,
  viewerId: string,
) {
  const { pep, page } = loaded
  const rows = page.questions
    .map((q) => ({
      label: q.label,
      theirs: answerAsText(q, theirs.answers[q.id]),
      mine: answerAsText(q, mine[q.id]),
    }))
    .filter((r) => r.theirs !== r.mine)
  const hidden = Object.entries(body)
    .filter(([name]) => name !== '_csrf' && name !== 'version' && name !== 'action')
    .flatMap(([name, value]) =>
      (Array.isArray(value) ? value : [value])
        .filter((v): v is string => typeof v === 'string')
        .map((v) => ({ name, value: v })),
    )
  // The other save may be this person's own, from another window or tab.
  const own = theirs.savedBy !== null && theirs.savedBy === viewerId
  const heading = own
    ? 'You saved this page in another window or tab'
    : 'Someone else has changed this page'
  return {
    pageTitle: `${heading} – ${page.title}`,
    heading,
    own,
    page: { title: page.title },
    savedBy: theirs.savedByName ?? 'Someone',
    savedAt: formatDateTime(theirs.savedAt),
    rows,
    hidden,
    version: theirs.version,
    action: paths.peps.page(pep.childId, pep.id, page.id),
    pageHref: paths.peps.page(pep.childId, pep.id, page.id),
  }
}

/** A page's history, every question or one. */
export function pageHistoryModel(
  pep: PepInContext,
  found: PepPageInContext,
  revisions: Parameters<typeof historyModel>[1],
  question: Question | undefined,
) {
  return {
    pageTitle: `History of ‘${found.page.title}’ – ${pepTitle(pep)}`,
    page: {
      title: found.page.title,
      href: paths.peps.page(pep.childId, pep.id, found.page.id),
    },
    action: paths.peps.history(pep.childId, pep.id, found.page.id),
    questionItems: [
      { value: '', text: 'Every question', selected: !question },
      ...found.questions.map((q) => ({
        value: q.id,
        text: q.label,
        selected: q === question,
      })),
    ],
    revisions: historyModel({ questions: found.questions }, revisions, question?.id),
  }
}

export const savedMessage = (title: string, saved: boolean) =>
  saved ? `Your answers on ‘${title}’ have been saved` : `Nothing had changed on ‘${title}’`

export function keptTheirsMessage(title: string, kept: { recorded: boolean; levelsKept: number }) {
  const levels =
    kept.levelsKept === 0
      ? ''
      : `${kept.recorded ? '; the' : '. The'} attainment you typed (${kept.levelsKept === 1 ? '1 subject' : `${kept.levelsKept} subjects`}) is in the child’s attainment history, as not chosen`
  return kept.recorded
    ? `The saved answers on ‘${title}’ were kept. Yours are in the page’s history${levels}`
    : `Nothing had changed on ‘${title}’${levels}`
}

/** Why the next meeting's date was refused (domain/timescales.ts's answer, in words). */
export function nextMeetingProblemText(problem: NextMeetingProblem, hasMeeting: boolean): string {
  return problem.kind === 'not-after-meeting'
    ? `The date of the next meeting must be after ${hasMeeting ? 'this meeting' : 'today'}, ${formatDate(problem.meetingOn)}`
    : `The date of the next meeting must be on or before ${formatDate(problem.latest)}: reviews are never more than ${problem.months} months apart`
}

/** The page's "share with the young person" control, for those who may share a page they may read. */
export function shareModel(
  { pep, section, page }: Pick<PepPageInContext, 'pep' | 'section' | 'page'>,
  role: Role | null,
  sharedPages: ReadonlySet<string>,
  child: { firstName: string },
) {
  if (!canAct(role ? [role] : [], 'pep.share') || !mayShareWithYoungPerson(section, page))
    return undefined
  return {
    action: paths.peps.share(pep.childId, pep.id, page.id),
    shared: sharedPages.has(page.id),
    name: child.firstName,
  }
}
