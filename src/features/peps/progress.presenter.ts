import {
  availableTransitions,
  PEP_STATE_NAMES,
  stepsWaiting,
  TRANSITIONS,
  type Need,
  type PepFacts,
} from '../../domain/pep-workflow.ts'
import { findPage } from '../../forms/completion.ts'
import type { Role } from '../../domain/roles.ts'
import { paths } from '../../paths.ts'
import { formatDate, formatDateTime } from '../../views/format.ts'
import type { PepInContext } from './pep-context.ts'
import type { DelegationRow } from './workflow.repository.ts'

const STATE_TAG_CLASSES = {
  in_progress: 'govuk-tag--light-blue',
  awaiting_bso_check: 'govuk-tag--yellow',
  awaiting_qa: 'govuk-tag--yellow',
  signed_off: 'govuk-tag--green',
} as const

/** Where the PEP stands and what this user can do next. */
export function progressModel(
  pep: PepInContext,
  facts: PepFacts,
  delegation: DelegationRow | undefined,
  role: Role | null,
  readOnly: boolean,
  hasPdf: boolean,
  /** Who is looking: a colleague holding a part may hand it back (issue 15). */
  userId?: string,
) {
  const lines: string[] = []
  const mine =
    delegation?.status === 'delegated' && !readOnly
      ? delegation.parts.find((p) => p.delegatedTo === userId)
      : undefined
  if (delegation?.status === 'delegated')
    lines.push(
      delegation.pages
        ? `${delegation.pages.length === 1 ? '1 page' : `${delegation.pages.length} pages`} of the school’s sections ${delegation.pages.length === 1 ? 'is' : 'are'} delegated to ${delegation.delegatedToName}, due ${formatDate(delegation.dueOn)}: each is marked on this page.`
        : `The school’s sections are delegated to ${delegation.delegatedToName}, due ${formatDate(delegation.dueOn)}.`,
    )
  // Each colleague given part of the school's pages, and how many (issue 15).
  for (const part of delegation?.status === 'delegated' ? delegation.parts : [])
    lines.push(
      `${delegation!.delegatedToName} passed ${part.pages.length === 1 ? '1 page' : `${part.pages.length} pages`} on to ${part.delegatedToName}.`,
    )
  if (delegation?.status === 'submitted')
    lines.push(`${delegation.delegatedToName} has sent the school’s contribution to check.`)
  if (pep.meetingConfirmedAt)
    lines.push(
      `${pep.meetingConfirmedByName ?? 'Someone'} confirmed the meeting took place, ${formatDateTime(pep.meetingConfirmedAt)}.`,
    )
  if (pep.signedOffAt) lines.push(`Signed off ${formatDateTime(pep.signedOffAt)}.`)
  return {
    state: { text: PEP_STATE_NAMES[facts.state], classes: STATE_TAG_CLASSES[facts.state] },
    lines,
    signedOff: facts.state === 'signed_off' && hasPdf,
    pdfHref: paths.peps.pdf(pep.childId, pep.id),
    handBack: mine && {
      href: paths.peps.endPart(pep.childId, pep.id, mine.id),
      to: delegation!.delegatedToName,
    },
    actions: readOnly
      ? []
      : availableTransitions(role, facts).map((t) => ({
          text: TRANSITIONS[t].describe,
          href: paths.peps.action(pep.childId, pep.id, t),
        })),
    waiting: readOnly
      ? []
      : stepsWaiting(role, facts).map(({ transition, needs }) => ({
          text: TRANSITIONS[transition].describe,
          needs: needs.flatMap((need) => needItems(pep, need)),
        })),
  }
}

/** What a step still waits for, in words, each linked to where it is done. */
function needItems(pep: PepInContext, need: Need): { text: string; href?: string }[] {
  const page = (pageId: string) =>
    findPage(pep.template, pageId) ? paths.peps.page(pep.childId, pep.id, pageId) : undefined
  const contents = paths.peps.contents(pep.childId, pep.id)
  switch (need.kind) {
    case 'complete-sections':
      return need.sections.map((section) => ({
        text: `Section ${section} marked complete`,
        href: `${contents}#section-${section}`,
      }))
    case 'school-contribution':
      return [{ text: 'The school’s contribution, sent by the designated teacher' }]
    case 'next-meeting':
      return [{ text: 'The next meeting’s date and time', href: page('pep-meeting') }]
    case 'confirm-meeting':
      return [
        {
          text: 'The meeting confirmed as held',
          href: paths.peps.action(pep.childId, pep.id, 'confirm-meeting'),
        },
      ]
    case 'quality-assurance':
      return [{ text: 'The quality assurance (Section D)', href: page('quality-assurance') }]
  }
}

const EVENT_NAMES: Record<string, string> = {
  delegated: 'Delegated the school’s sections',
  'delegation-retracted': 'Retracted the delegation',
  'delegation-ended': 'Ended the delegation: its holder was taken off the child’s list',
  'delegation-passed-on': 'Passed the school’s sections to a colleague',
  'delegation-part-given': 'Passed pages of the school’s sections to a colleague',
  'delegation-part-taken-back': 'Took back pages passed to a colleague',
  'delegation-part-handed-back': 'Handed back pages passed on to them',
  'contribution-submitted': 'Sent the school’s contribution',
  'contribution-returned': 'Returned the school’s contribution',
  'meeting-confirmed': 'Confirmed the meeting took place',
  'meeting-rescheduled': 'Rescheduled the meeting',
  'meeting-recorded': 'Recorded the meeting: who attended and the young person’s views',
  'meeting-record-corrected': 'Corrected the meeting record (earlier versions are kept)',
  'submitted-to-vs': 'Submitted the PEP to the Virtual School',
  'bso-passed': 'Passed the business support check',
  'returned-by-bso': 'Returned the PEP after the business support check',
  'returned-for-improvement': 'Returned the PEP for improvement',
  'signed-off': 'Signed off the PEP',
  'moved-to-next-term': 'Moved to the next term',
}

/** The PEP's own history, newest first, for the MoJ timeline. */
export function timelineModel(
  events: readonly { kind: string; at: Date; comments: string | null; byName: string | null }[],
) {
  return events.map((e) => ({
    label: { text: EVENT_NAMES[e.kind] ?? e.kind },
    text: e.comments ?? undefined,
    datetime: { timestamp: e.at.toISOString(), type: 'datetime' },
    // An event with no one behind it is one OpenPEP made by itself (a scheduled job).
    byline: { text: e.byName ?? 'OpenPEP' },
  }))
}
