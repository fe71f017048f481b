import { signOffNeedsReason, type PepFacts, type Transition } from '../../domain/pep-workflow.ts'
import type { CalendarDate } from '../../domain/calendar-date.ts'
import { dueDateNeedsReason } from '../../domain/timescales.ts'
import { parseTime } from '../../forms/answers.ts'
import { readDateInput } from '../../forms/date-input.ts'
import { FormProblems } from '../../forms/validation.ts'
import { keptText } from '../../shared/restored-form.ts'
import { formatDate } from '../../views/format.ts'
import type { TransitionInput } from './workflow.service.ts'

type Body = Record<string, unknown>

export const COMMENTS_MAX = 5000

/** What each step asks for, besides the button. */
export const FORMS: Record<
  Transition,
  {
    comments?: 'required' | 'optional'
    commentsLabel?: string
    commentsHint?: string
    reopen?: boolean
    dueOn?: boolean
    /** Who at the school: chosen from the school's staff on the child's list. */
    delegateTo?: boolean
    /** Which pages of the school's sections go (issue 15). */
    pages?: boolean
    meeting?: boolean
    button: string
    confirm: string
  }
> = {
  delegate: {
    dueOn: true,
    delegateTo: true,
    pages: true,
    comments: 'optional',
    commentsLabel: 'Why is the school’s part due after the PEP’s target date?',
    commentsHint:
      'Only if you choose a date after the target date. The designated teacher reads this.',
    button: 'Delegate',
    confirm:
      'The person you choose is emailed and finds the task in their work tray. They can change only the pages you give them. Sections already complete are not delegated.',
  },
  retract: {
    comments: 'optional',
    button: 'Retract the delegation',
    confirm:
      'The designated teacher can no longer change the school’s sections. Everything they saved is kept.',
  },
  'pass-on': {
    delegateTo: true,
    pages: true,
    comments: 'optional',
    commentsLabel: 'A note for your colleague (optional)',
    commentsHint: 'It is kept in the PEP’s history.',
    button: 'Pass them on',
    confirm:
      'The pages you choose go to your colleague, who is emailed and finds the task in their work tray, with the same due date. You can pass other pages to other colleagues. You can no longer change the pages you pass on until you take them back or your colleague hands them back. Everything saved so far is kept. You still send the school’s contribution.',
  },
  'submit-contribution': {
    button: 'Send to the social worker',
    confirm:
      'The social worker is told and checks the school’s sections. You cannot change them unless they are returned to you.',
  },
  'return-contribution': {
    comments: 'required',
    button: 'Return to the school',
    confirm:
      'The school’s sections are reopened for the designated teacher, with your comments. Nothing they saved is lost.',
  },
  'confirm-meeting': {
    button: 'Confirm the meeting took place',
    confirm: 'This is recorded under your name.',
  },
  'reschedule-meeting': {
    meeting: true,
    button: 'Reschedule',
    confirm: 'The new date and time replace the old ones; the change is kept in the PEP’s history.',
  },
  'submit-to-vs': {
    comments: 'optional',
    commentsLabel: 'Comments for the Virtual School (optional)',
    commentsHint:
      'Anything the person checking the PEP should know. It is kept in the PEP’s history.',
    button: 'Submit to the Virtual School',
    confirm: 'The PEP is locked for changes while the Virtual School checks it.',
  },
  'bso-pass': {
    button: 'Pass to quality assurance',
    confirm: 'The PEP goes to the Virtual School consultants’ tray.',
  },
  'bso-return': {
    comments: 'required',
    reopen: true,
    button: 'Return the PEP',
    confirm:
      'The sections you choose are reopened for the people who complete them, with your comments.',
  },
  'qa-return': {
    comments: 'required',
    reopen: true,
    button: 'Return for improvement',
    confirm:
      'The sections you choose are reopened for the people who complete them, with your comments. Your quality assurance is kept.',
  },
  'sign-off': {
    button: 'Sign off the PEP',
    confirm:
      'The PEP is locked, its PDF is made, the social worker and designated teacher are told, and next term’s PEP is started.',
  },
}

/** A date as the date boxes take it: "21 1 2027". */
const formatDateForHint = (date: string) => {
  const [year, month, day] = date.split('-')
  return `${Number(day)} ${Number(month)} ${year}`
}

/** What the due date's hint says: the target date to keep to, or that it has passed. */
export function dueHint(targetOn: string | null, today: string): string {
  if (!targetOn) return 'For example, 18 12 2026'
  if (targetOn < today)
    return `The PEP’s target date, ${formatDate(targetOn)}, has passed: give the school as little time as it needs. For example, ${formatDateForHint(today)}`
  return `On or before the PEP’s target date, ${formatDate(targetOn)}, so the PEP can be completed on time. For example, ${formatDateForHint(targetOn)}`
}

/** A head signing off a PEP rated at or below the authority's line gives a reason. */
const SIGN_OFF_WITH_REASON = {
  ...FORMS['sign-off'],
  comments: 'required',
  commentsLabel: 'Why are you signing off this PEP despite its rating?',
  commentsHint:
    'This is kept in the PEP’s history with your name. To ask for improvements instead, return the PEP.',
} as const

/** What a step asks for now: signing off a low-rated PEP also asks for the head's reason. */
export const formFor = (transition: Transition, facts: PepFacts) =>
  transition === 'sign-off' && signOffNeedsReason(facts) ? SIGN_OFF_WITH_REASON : FORMS[transition]

/** The form of a step as the person filled it in. */
export type StepSpec = (typeof FORMS)[Transition]

/** Whether the form asked which pages go (a hidden field), or pages were sent anyway. */
export const asksPages = (body: Body) =>
  body['choosePages'] === 'yes' || body['pages'] !== undefined

/** What a step's form sent, as its page shows it again after the session ended. */
export function keptStepValues(kept: Body): Body {
  return {
    comments: keptText(kept, 'comments'),
    reopen: kept['reopen'],
    dueOn: readDateInput(kept, 'dueOn', 'the due date').typed,
    delegateTo: keptText(kept, 'delegateTo'),
    ...(asksPages(kept)
      ? { pages: [kept['pages']].flat().filter((v) => typeof v === 'string') }
      : {}),
    meetingOn: readDateInput(kept, 'meetingOn', 'the meeting date').typed,
    meetingTime: keptText(kept, 'meetingTime'),
  }
}

/**
 * Reads a step's form: what the step is given (`input`), what was typed to show again
 * (`values`) and each problem, naming its field. `staff` and `offeredPages` are who the pages
 * may go to and which pages may go, loaded by the route only when the form asks them.
 */
export function readStepForm(
  body: Body,
  spec: StepSpec,
  context: {
    /** The sections a return may reopen. */
    sectionIds: readonly string[]
    today: CalendarDate
    targetOn: CalendarDate | null
    staff: readonly { id: string }[]
    offeredPages: readonly string[]
    /** What to say when no page, or a page not offered, is chosen. */
    pagesError?: string
  },
): { input: TransitionInput; values: Body; problems: FormProblems } {
  const problems = new FormProblems()
  const input: TransitionInput = {}
  const comments = typeof body['comments'] === 'string' ? body['comments'] : ''
  if (spec.comments) {
    if (spec.comments === 'required' && comments.trim() === '')
      problems.add(
        'comments',
        spec.commentsLabel ? 'Enter why you are signing off this PEP' : 'Enter your comments',
      )
    else if ([...comments].length > COMMENTS_MAX)
      problems.add(
        'comments',
        `Comments must be ${COMMENTS_MAX.toLocaleString('en-GB')} characters or fewer`,
      )
    else if (comments.trim() !== '') input.comments = comments
  }
  if (spec.reopen) {
    const chosen = [body['reopen']].flat().filter((v): v is string => typeof v === 'string')
    if (chosen.length === 0 || !chosen.every((s) => context.sectionIds.includes(s)))
      problems.add('reopen', 'Select the sections to reopen', `reopen`)
    else input.reopen = chosen
  }
  const values: Body = { comments, reopen: body['reopen'] }
  if (spec.dueOn) {
    const due = readDateInput(body, 'dueOn', 'the due date')
    values['dueOn'] = due.typed
    if (!due.ok) problems.add('dueOn', due.error, `dueOn-${due.part}`)
    else if (due.value < context.today)
      problems.add('dueOn', 'The due date must be today or in the future', 'dueOn-day')
    else if (dueDateNeedsReason(due.value, context.targetOn, context.today) && !input.comments)
      problems.add(
        'comments',
        `Enter why the school’s part is due after the PEP’s target date, ${formatDate(context.targetOn!)}`,
      )
    else input.dueOn = due.value
  }
  if (spec.delegateTo) {
    const chosen = typeof body['delegateTo'] === 'string' ? body['delegateTo'] : ''
    values['delegateTo'] = chosen
    const { staff } = context
    // With one person there is nothing to choose; with several, the person says who.
    if (staff.length === 1) input.delegateTo = staff[0]!.id
    else if (chosen && staff.some((person) => person.id === chosen)) input.delegateTo = chosen
    else if (staff.length > 1)
      problems.add('delegateTo', 'Select who at the school completes the pages', 'delegateTo')
  }
  // The form says it asked which pages (a hidden field), so none ticked is a mistake to
  // show; a caller that did not ask gives every page, as before pages could be chosen.
  if (spec.pages && asksPages(body)) {
    const chosen = [body['pages']].flat().filter((v): v is string => typeof v === 'string')
    values['pages'] = chosen
    if (chosen.length === 0 || !chosen.every((id) => context.offeredPages.includes(id)))
      problems.add('pages', context.pagesError ?? 'Select the pages the school completes', 'pages')
    else input.pages = chosen
  }
  if (spec.meeting) {
    const on = readDateInput(body, 'meetingOn', 'the meeting date')
    values['meetingOn'] = on.typed
    if (!on.ok) problems.add('meetingOn', on.error, `meetingOn-${on.part}`)
    else input.meetingOn = on.value
    const time = typeof body['meetingTime'] === 'string' ? body['meetingTime'] : ''
    values['meetingTime'] = time
    const parsed = parseTime(time)
    if (!parsed)
      problems.add(
        'meetingTime',
        time.trim()
          ? 'The meeting time must be a time of day, like 14:30 or 2:30pm'
          : 'Enter the meeting time',
      )
    else input.meetingTime = parsed
  }
  return { input, values, problems }
}
