import { findTemplate } from '../../forms/templates/index.ts'
import { mayEditPage } from '../../forms/completion.ts'
import { paths } from '../../paths.ts'
import type { PepRow } from '../peps/peps.service.ts'
import { plainDay, plainTime, termWords } from '../young-person/young-person.presenter.ts'

/*
 * The carer's own words (issue 20): what their home says, in one place. Plain words, "you" and
 * "the child's name"; no staff words (tray, section, delegate, QA).
 */
export const CARER_WORDS = {
  homeTitle: 'Children in your care',
  intro:
    'A PEP (Personal Education Plan) is the plan for how each child in care does well at school. It is reviewed every term at a PEP meeting, and you are asked what you think.',
  noChildren:
    'No children are shown to you yet. When a child is placed with you, their social worker adds you to their record and they will appear here.',
  noMeeting: 'No PEP meeting is booked yet. You will see it here when it is.',
  noPep: 'There is no PEP yet.',
  viewsTitle: 'Your views for the PEP',
  viewsIntro:
    'Tell the people at the PEP meeting what you think about how school is going. Your answers are saved when you press "Save and come back later", and you can change them until you send them.',
  viewsWho:
    'The social worker, the designated teacher and the Virtual School read what you send. The child does not see it here.',
  viewsSent: (when: string) =>
    `You sent your views on ${when}. Thank you. If you want to add something, tell the child’s social worker or designated teacher.`,
  viewsClosed:
    'This PEP is finished, so views can no longer be sent for it. You can tell the child’s social worker or designated teacher.',
  viewsSaved: 'Your views are saved. They are not sent yet.',
  viewsThanks: 'Thank you. Your views have been sent',
} as const

/** What a refused save tells the carer. */
export const CARER_VIEWS_REFUSED = {
  'carer-views.sent': 'You have sent your views already, so they cannot be changed here.',
  'carer-views.closed': 'This PEP is finished, so your views can no longer be changed.',
  'carer-views.changed':
    'Your views were changed in another window since you opened this page. Check them and save again.',
} as const

/** The card on the carer's home: where their views for the PEP in progress stand. */
export function viewsStatus(
  pep: PepRow | undefined,
  views: { sentAt: Date | null; savedAt: Date } | undefined,
  when: (at: Date) => string,
) {
  if (!pep || pep.status === 'signed_off') return undefined
  const href = paths.carer.views(pep.childId, pep.id)
  if (views?.sentAt) return { href, text: `You sent your views on ${when(views.sentAt)}` }
  if (views) return { href, text: 'You have started your views and not sent them yet' }
  return { href, text: `Tell us your views for the ${termWords(pep)} PEP` }
}

/** A child's next PEP meeting (from the PEP in progress), in plain words, or nothing booked. */
export function nextMeeting(peps: readonly PepRow[], today: string) {
  const pep = peps.find((p) => p.status !== 'signed_off' && p.meetingOn && p.meetingOn >= today)
  if (!pep?.meetingOn) return undefined
  return {
    day: pep.meetingOn === today ? `Today, ${plainDay(pep.meetingOn)}` : plainDay(pep.meetingOn),
    time: plainTime(pep.meetingTime),
    place: pep.meetingLocation,
    term: termWords(pep),
  }
}

/** The pages of a PEP still being written that the carer is asked to fill in (their views). */
export function askedOf(pep: PepRow | undefined) {
  if (!pep || pep.status === 'signed_off') return []
  const template = findTemplate(pep.formType, pep.templateVersion)
  if (!template) return []
  return template.sections.flatMap((section) =>
    section.pages
      .filter((page) => mayEditPage(section, page, 'carer'))
      .map((page) => ({
        text: page.title,
        href: paths.peps.page(pep.childId, pep.id, page.id),
        term: termWords(pep),
      })),
  )
}

/** The PEPs the carer may read (every PEP of a child placed with them, ADR 10: 'peps'). */
export const pepLinks = (peps: readonly PepRow[]) =>
  peps.map((pep) => ({
    text: `PEP for the ${termWords(pep)}`,
    href: paths.peps.read(pep.childId, pep.id),
    finished: pep.status === 'signed_off',
    // The signed-off PEP as a PDF, made for the carer by the reading rules (ADR 10): never an
    // attachment, always this link behind their sign-in.
    pdfHref: pep.status === 'signed_off' ? paths.peps.pdf(pep.childId, pep.id) : undefined,
  }))
