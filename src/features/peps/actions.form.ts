import { signOffNeedsReason, type PepFacts, type Transition } from '../../domain/pep-workflow.ts'
import { formatDate } from '../../views/format.ts'

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
    comments: 'optional',
    commentsLabel: 'A note for your colleague (optional)',
    commentsHint: 'It is kept in the PEP’s history.',
    button: 'Pass them on',
    confirm:
      'The pages delegated to you go to your colleague, who is emailed and finds the task in their work tray, with the same due date. You can no longer change them. Everything saved so far is kept.',
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
