import type { Database, Queryable } from '../../db/connection.ts'
import { enqueueEmail } from '../../email/outbox.repository.ts'
import { viewsSentEmail, type ViewsGiver } from '../../email/pep-emails.ts'
import { paths } from '../../paths.ts'
import { raiseAlert } from '../../shared/tasks.ts'
import { sectionOpen } from '../../domain/pep-workflow.ts'
import { findTemplate } from '../../forms/templates/index.ts'
import { sectionC } from '../../forms/templates/voice-modules.ts'
import type { Answers } from '../../forms/types.ts'
import { audit, type PersonActor } from '../../shared/actor.ts'
import { ok, refuse, type Result } from '../../shared/result.ts'
import {
  pagesOf,
  savePage,
  schoolContact,
  sectionsOf,
  socialWorkerOf,
  type PageRow,
  type PepRow,
  type SectionRow,
} from '../peps/peps.service.ts'
import { VIEWS_SENT_ALERT_TITLES, ownWordsNote, type OwnWords } from './voice.presenter.ts'
import { findViewsSent, youngPersonAccountOf, type ViewsSent } from './voice.repository.ts'

/*
 * The young person's views (issue 20): each answer saved as it is given, into Section C (so
 * staff read it there, with its history), and the whole sent to the people at the meeting, after
 * which it is no longer the young person's to change.
 */

/** Whether the views were sent, and by whom: for the PEP's contents, read once with its other facts. */
export { findViewsSent }

export type VoiceRefusal = 'voice.sent' | 'voice.closed' | 'voice.changed'

/** Whether the young person may still change their views on this PEP, and if not, why not. */
export async function voiceOpen(
  db: Queryable,
  pep: { id: string; status: Parameters<typeof sectionOpen>[0] },
  /** The views sent and the PEP's sections, when the caller read them already (a page's reads). */
  known?: { sent: ViewsSent | undefined; sections: ReadonlyMap<string, SectionRow> },
): Promise<Result<true, VoiceRefusal>> {
  if (known ? known.sent : await findViewsSent(db, pep.id)) return refuse('voice.sent')
  const sections = known?.sections ?? (await sectionsOf(db, pep.id))
  if (!sectionOpen(pep.status, 'C') || sections.get('C')?.completedAt) return refuse('voice.closed')
  return ok(true)
}

/**
 * Saves some answers of one page of Section C (one question, or the pictured activities), kept
 * beside that page's other answers, exactly as given. A blank answer takes the question's answer
 * away. Someone else saving the page meanwhile is met by saving on top of theirs once more: only
 * these questions change.
 */
export async function saveViews(
  db: Database,
  actor: PersonActor,
  input: {
    pepId: string
    childId: string
    status: Parameters<typeof sectionOpen>[0]
    pageId: string
    /** The questions this step asks, and what was given (no key: left blank). */
    questionIds: readonly string[]
    answers: Answers
  },
): Promise<Result<{ changed: boolean }, VoiceRefusal>> {
  const open = await voiceOpen(db, { id: input.pepId, status: input.status })
  if (!open.ok) return open
  for (let attempt = 0; attempt < 2; attempt++) {
    const current = (await pagesOf(db, input.pepId)).get(input.pageId)
    const merged: Record<string, Answers[string]> = { ...current?.answers }
    for (const id of input.questionIds) {
      if (input.answers[id] === undefined) delete merged[id]
      else merged[id] = input.answers[id]
    }
    const saved = await savePage(db, actor, {
      pepId: input.pepId,
      childId: input.childId,
      sectionId: 'C',
      pageId: input.pageId,
      fromVersion: current?.version ?? 0,
      answers: merged,
    })
    if (saved.ok) return ok(saved.value)
    if (saved.error.code === 'page.closed') return refuse('voice.closed')
  }
  return refuse('voice.changed')
}

/**
 * Sends the views to the people at the meeting: recorded with who sent them and when (or who
 * recorded them on the young person's behalf, and how they were gathered), audited in the same
 * transaction, with an alert to the social worker and designated teacher. Refused once sent, and once Section C is closed.
 */
export async function sendViews(
  db: Database,
  actor: PersonActor,
  input: {
    pepId: string
    childId: string
    authorityId: string
    status: Parameters<typeof sectionOpen>[0]
    onBehalf: boolean
    howGathered: string
    /** Where the alert's email links to (the tray). */
    baseUrl: string
  },
): Promise<Result<{ sentAt: Date }, VoiceRefusal>> {
  return db.transaction().execute(async (trx) => {
    await trx.selectFrom('pep').select('id').where('id', '=', input.pepId).forUpdate().execute()
    const open = await voiceOpen(trx, { id: input.pepId, status: input.status })
    if (!open.ok) return open
    await trx
      .insertInto('pep_young_person_views')
      .values({
        pep_id: input.pepId,
        sent_by: actor.userId,
        sent_at: actor.now,
        on_behalf: input.onBehalf,
        how_gathered: input.howGathered,
      })
      .execute()
    await audit(trx, actor, {
      action: 'young-person.views.send',
      childId: input.childId,
      details: { pepId: input.pepId, onBehalf: input.onBehalf },
    })
    await alertViewsSent(trx, {
      authorityId: input.authorityId,
      childId: input.childId,
      pepId: input.pepId,
      giver: input.onBehalf ? 'on-behalf' : 'young-person',
      sentBy: actor.userId,
      at: actor.now,
      baseUrl: input.baseUrl,
    })
    return ok({ sentAt: actor.now })
  })
}

/**
 * What staff read about the young person's views (issue 20): whether they gave them themselves,
 * when, and which of Section C's pages are in their own words.
 */
export async function ownWordsOf(
  db: Queryable,
  pep: Pick<PepRow, 'id' | 'childId' | 'formType' | 'templateVersion'>,
  pages: ReadonlyMap<string, PageRow>,
  name: string,
  /** The views sent, when the caller read them already. */
  known?: { sent: ViewsSent | undefined },
): Promise<OwnWords> {
  const template = findTemplate(pep.formType, pep.templateVersion)
  const section = template && sectionC(template)
  if (!section) return { note: undefined, ownPages: new Set(), onBehalf: false }
  const [account, sent] = await Promise.all([
    youngPersonAccountOf(db, pep.childId),
    known ? known.sent : findViewsSent(db, pep.id),
  ])
  const ownPages = new Set(
    section.pages
      .filter((p) => account !== undefined && pages.get(p.id)?.savedBy === account)
      .map((p) => p.id),
  )
  return { note: ownWordsNote(name, sent, ownPages), ownPages, onBehalf: sent?.onBehalf ?? false }
}

/**
 * Tells the social worker and the school's designated teacher that views were sent for a PEP
 * (issue 20): a tray alert each and one email each through the outbox, in the sending change's
 * transaction. The email names no child and links to the tray; whoever sent them is not told.
 */
export async function alertViewsSent(
  trx: Queryable,
  input: {
    authorityId: string
    childId: string
    pepId: string
    giver: ViewsGiver
    sentBy: string
    at: Date
    baseUrl: string
  },
): Promise<void> {
  const [socialWorker, school] = await Promise.all([
    socialWorkerOf(trx, input.childId),
    schoolContact(trx, input.childId),
  ])
  const told = new Set<string>([input.sentBy])
  for (const person of [socialWorker, school]) {
    if (!person || told.has(person.id)) continue
    told.add(person.id)
    await raiseAlert(trx, {
      authorityId: input.authorityId,
      childId: input.childId,
      pepId: input.pepId,
      at: input.at,
      kind: 'views-sent',
      userId: person.id,
      title: VIEWS_SENT_ALERT_TITLES[input.giver],
    })
    await enqueueEmail(
      trx,
      viewsSentEmail({
        to: person.email,
        name: person.name,
        url: `${input.baseUrl}${paths.trays.mine()}`,
        giver: input.giver,
      }),
      input.at,
      { childId: input.childId },
    )
  }
}
