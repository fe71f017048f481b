import { canAct } from '../../domain/permissions.ts'
import type { Queryable } from '../../db/connection.ts'
import type { Role } from '../../domain/roles.ts'
import { mayReadPart } from '../../domain/visibility.ts'
import { paths } from '../../paths.ts'
import type { PepRow } from './peps.repository.ts'
import { listPepDocuments } from '../children/documents.service.ts'
import { pepDocumentLines } from './documents.presenter.ts'
import { findMeetingRecord, inviteesOf } from './meeting-record.repository.ts'
import { meetingRecordRows } from './meeting-record.presenter.ts'
import { sentCarerViewsOf } from '../carer/carer-views.service.ts'
import { carerViewsRows } from './views.presenter.ts'

/**
 * What a PEP holds outside its form's pages (its meeting record, its documents), as links on its
 * contents page: only what the reader may read (the carer and the young person read neither).
 */
export async function pepRecordLinks(db: Queryable, pep: PepRow, role: Role | null) {
  const links: { text: string; href: string; hint: string }[] = []
  if (role && mayReadPart(role, 'meeting-record')) {
    const record = await db
      .selectFrom('pep_meeting_record')
      .select('pep_id')
      .where('pep_id', '=', pep.id)
      .executeTakeFirst()
    links.push({
      text: 'Meeting record',
      href: paths.peps.meetingRecord(pep.childId, pep.id),
      hint: record ? 'Recorded' : 'Not recorded yet',
    })
  }
  if (role && mayReadPart(role, 'documents')) {
    const { count } = await db
      .selectFrom('child_document')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('child_id', '=', pep.childId)
      .where('pep_id', '=', pep.id)
      .executeTakeFirstOrThrow()
    const n = Number(count)
    links.push({
      text: 'Documents attached to this PEP',
      href: paths.peps.documents(pep.childId, pep.id),
      hint: n === 0 ? 'None attached' : n === 1 ? '1 attached' : `${n} attached`,
    })
  }
  // Pupil Premium Plus (issue 18): the requests made from this PEP's SMART targets.
  if (role && mayReadPart(role, 'funding') && canAct([role], 'funding.view')) {
    const { count } = await db
      .selectFrom('funding_request')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('pep_id', '=', pep.id)
      .executeTakeFirstOrThrow()
    const n = Number(count)
    links.push({
      text: 'Pupil Premium Plus requests',
      href: paths.funding.pep(pep.childId, pep.id),
      hint: n === 0 ? 'None requested' : n === 1 ? '1 request' : `${n} requests`,
    })
    if (canAct([role], 'funding.request'))
      links.push({
        text: 'Impact of earlier Pupil Premium Plus funding',
        href: paths.funding.impact(pep.childId, pep.id),
        hint: 'recorded at this review',
      })
  }
  return links
}

/**
 * What the PEP holds outside its form, as its read view and its PDF show it to this reader:
 * the attached documents (name, type, date), the meeting record and the views carers sent for
 * the meeting, each only when they may read it (ADR 10), as the PEP's contents page shows them.
 */
export async function pepExtras(
  db: Queryable,
  pep: Pick<PepRow, 'id' | 'childId'>,
  role: Role | null,
): Promise<PepExtras> {
  const documents =
    role && mayReadPart(role, 'documents')
      ? pepDocumentLines(await listPepDocuments(db, pep.childId, pep.id))
      : []
  let meeting: PepExtras['meeting'] = []
  if (role && mayReadPart(role, 'meeting-record')) {
    const [record, invitees] = await Promise.all([
      findMeetingRecord(db, pep.id),
      inviteesOf(db, pep.id),
    ])
    if (record) meeting = meetingRecordRows(record, invitees)
  }
  const carerViews =
    role && mayReadPart(role, 'carer-views')
      ? carerViewsRows(await sentCarerViewsOf(db, pep.id))
      : []
  return { documents, meeting, carerViews }
}

export interface PepExtras {
  documents: { title: string; type: string; date: string }[]
  /** The meeting record as label and value, when recorded and the reader may read it. */
  meeting: { label: string; value: string }[]
  /** The views each carer sent for the meeting (issue 20): whose, when, and their answers. */
  carerViews: { heading: string; rows: { label: string; text: string }[] }[]
}
